import { EventEnvelope } from '@aftersales/contracts';
import { DataSource, EntityManager } from 'typeorm';

export type InboxOutcome = 'handled' | 'duplicate';

export interface InboxDelivery {
  consumer: string;
  envelope: EventEnvelope;
  effect: (manager: EntityManager) => Promise<void>;
}

/**
 * Idempotent consumption: the event id is recorded in the consumer's own schema in the same
 * transaction as the effect, so a redelivered event (retry, rebalance, crash) is a no-op.
 */
export class Inbox {
  constructor(
    private readonly dataSource: DataSource,
    readonly schema: string,
  ) {}

  async handleOnce(consumer: string, envelope: EventEnvelope, effect: (manager: EntityManager) => Promise<void>): Promise<InboxOutcome> {
    const [outcome] = await this.handleAllOnce([{ consumer, envelope, effect }]);
    return outcome!; // one outcome per delivery
  }

  /**
   * Several deliveries in one transaction: every inbox row in one statement, then the effects of
   * the new ones in the given order. All or nothing — a failed effect rolls back the others too,
   * and the caller retries them one by one.
   */
  async handleAllOnce(deliveries: InboxDelivery[]): Promise<InboxOutcome[]> {
    return this.dataSource.transaction(async (manager) => {
      // a concurrent duplicate blocks on these rows until the first commits, then sees the conflict
      const inserted: Array<{ event_id: string; consumer: string }> = await manager.query(
        `INSERT INTO "${this.schema}".inbox (event_id, consumer, event_type)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])
         ON CONFLICT DO NOTHING RETURNING event_id, consumer`,
        [deliveries.map((d) => d.envelope.id), deliveries.map((d) => d.consumer), deliveries.map((d) => d.envelope.type)],
      );
      const fresh = new Set(inserted.map((r) => `${r.event_id}/${r.consumer}`));
      const outcomes: InboxOutcome[] = [];
      for (const d of deliveries) {
        const key = `${d.envelope.id}/${d.consumer}`;
        if (!fresh.delete(key)) {
          outcomes.push('duplicate');
          continue;
        }
        await d.effect(manager);
        outcomes.push('handled');
      }
      return outcomes;
    });
  }
}
