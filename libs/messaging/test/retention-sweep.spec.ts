import { randomUUID } from 'node:crypto';
import { RetentionSweep } from '@aftersales/messaging';
import { waitFor } from '@aftersales/testing';
import { messagingSchema } from './messaging-fixture';

type Fixture = Awaited<ReturnType<typeof messagingSchema>>;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('RetentionSweep (real PostgreSQL)', () => {
  let f: Fixture;
  const now = new Date();
  const ago = (ms: number) => new Date(now.getTime() - ms);

  beforeEach(async () => {
    f = await messagingSchema('retention');
  });
  afterEach(() => f.drop());

  async function outboxRow(label: string, o: { createdAgo: number; sentAgo?: number; deadAgo?: number }): Promise<void> {
    await f.dataSource.query(
      `INSERT INTO "${f.schema}".outbox (event_id, topic, aggregate_type, aggregate_id, event_type, payload, created_at, sent_at, dead_at)
       VALUES ($1, 't', 'case', $2, 'x.v1', '{}', $3, $4, $5)`,
      [
        randomUUID(),
        label,
        ago(o.createdAgo),
        o.sentAgo === undefined ? null : ago(o.sentAgo),
        o.deadAgo === undefined ? null : ago(o.deadAgo),
      ],
    );
  }

  async function inboxRow(consumer: string, handledAgo: number): Promise<void> {
    await f.dataSource.query(`INSERT INTO "${f.schema}".inbox (event_id, consumer, event_type, handled_at) VALUES ($1, $2, 'x.v1', $3)`, [
      randomUUID(),
      consumer,
      ago(handledAgo),
    ]);
  }

  const left = async () => ({
    outbox: (await f.dataSource.query(`SELECT aggregate_id FROM "${f.schema}".outbox ORDER BY 1`)).map(
      (r: { aggregate_id: string }) => r.aggregate_id,
    ),
    inbox: (await f.dataSource.query(`SELECT consumer FROM "${f.schema}".inbox ORDER BY 1`)).map((r: { consumer: string }) => r.consumer),
  });

  function sweeper(isLeader: () => boolean, sweepMs = 60_000): RetentionSweep {
    return new RetentionSweep({
      dataSource: f.dataSource,
      schema: f.schema,
      rules: [
        { table: 'outbox', timeColumn: 'sent_at', keepMs: 72 * HOUR },
        { table: 'inbox', timeColumn: 'handled_at', keepMs: 14 * DAY },
        { table: 'idempotency_keys', timeColumn: 'created_at', keepMs: 72 * HOUR },
      ],
      sweepMs,
      batch: 2,
      isLeader,
    });
  }

  it('deletes published outbox rows and inbox ids past their retention, never unsent or dead rows', async () => {
    for (let i = 0; i < 5; i++) await outboxRow(`old-sent-${i}`, { createdAgo: 100 * HOUR, sentAgo: 99 * HOUR });
    await outboxRow('recent-sent', { createdAgo: 2 * HOUR, sentAgo: HOUR });
    await outboxRow('old-unsent', { createdAgo: 200 * HOUR });
    await outboxRow('old-dead', { createdAgo: 200 * HOUR, deadAgo: 199 * HOUR });
    await inboxRow('old-consumer', 20 * DAY);
    await inboxRow('recent-consumer', DAY);

    // batches of 2: five old rows take three statements; the schema has no idempotency table
    expect(await sweeper(() => true).sweep(now)).toEqual({ outbox: 5, inbox: 1 });
    expect(await left()).toEqual({ outbox: ['old-dead', 'old-unsent', 'recent-sent'], inbox: ['recent-consumer'] });
    expect(await sweeper(() => true).sweep(now)).toEqual({ outbox: 0, inbox: 0 });
  });

  it('sweeps on its timer only on the replica that leads the relay', async () => {
    await outboxRow('old-sent', { createdAgo: 100 * HOUR, sentAgo: 99 * HOUR });
    let leader = false;
    let asked = 0; // timer rounds: each asks whether this replica leads
    const s = sweeper(() => (asked++, leader), 20);
    s.start();
    try {
      await waitFor('two timer rounds as a follower', () => (asked >= 2 ? true : undefined));
      expect((await left()).outbox).toEqual(['old-sent']);
      leader = true;
      await waitFor('the leader to sweep', async () => ((await left()).outbox.length === 0 ? true : undefined));
    } finally {
      await s.stop();
    }
  });
});
