import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { EventEnvelope } from '@aftersales/contracts';
import { EventBus, messagingTablesSql, Subscription } from '@aftersales/messaging';
import { dropSchema, uniqueSchema } from '@aftersales/persistence';
import { testDatabaseUrl } from '@aftersales/testing';

/** A bare schema with the messaging tables, for testing the outbox and inbox without a service. */
export async function messagingSchema(
  prefix: string,
): Promise<{ url: string; schema: string; dataSource: DataSource; drop(): Promise<void> }> {
  const url = testDatabaseUrl();
  const schema = uniqueSchema(prefix);
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  for (const sql of messagingTablesSql(schema)) await admin.query(sql);
  await admin.end();
  const dataSource = await new DataSource({ type: 'postgres', url, schema, poolSize: 10 }).initialize();
  return {
    url,
    schema,
    dataSource,
    async drop() {
      await dataSource.destroy();
      await dropSchema(url, schema);
    },
  };
}

/** A bus that records what was published, optionally failing the first calls. */
export class RecordingBus implements EventBus {
  readonly kind = 'in-process' as const;
  readonly published: Array<{ topic: string; envelope: EventEnvelope }> = [];
  failNext = 0;

  async start(): Promise<void> {}
  async subscribe(_: Subscription): Promise<void> {}
  async isReady(): Promise<boolean> {
    return true;
  }
  async close(): Promise<void> {}

  async publish(topic: string, envelopes: EventEnvelope[]): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('broker unavailable');
    }
    // yield to the event loop, so that two relays would interleave if they both ran
    await new Promise((r) => setImmediate(r));
    for (const envelope of envelopes) this.published.push({ topic, envelope });
  }
}
