import { EventEnvelope } from '@aftersales/contracts';
import { DataSource, EntityManager } from 'typeorm';

export type InboxOutcome = 'handled' | 'duplicate';

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
    return this.dataSource.transaction(async (manager) => {
      // a concurrent duplicate blocks on this row until the first commits, then sees the conflict
      const inserted: unknown[] = await manager.query(
        `INSERT INTO "${this.schema}".inbox (event_id, consumer, event_type) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [envelope.id, consumer, envelope.type],
      );
      if (inserted.length === 0) return 'duplicate';
      await effect(manager);
      return 'handled';
    });
  }
}
