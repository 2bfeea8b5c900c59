import { context, propagation } from '@opentelemetry/api';
import { EventInput, EventType, newEnvelope, topicOf, parseEventData } from '@aftersales/contracts';
import { EntityManager } from 'typeorm';

export interface Causation {
  correlationId?: string;
  causationId?: string;
}

export interface OutboxEvent<T extends EventType = EventType> {
  type: T;
  aggregateType: string;
  aggregateId: string;
  data: EventInput<T>;
  /** the event that caused this one, to carry correlation through the flow */
  cause?: { id: string; correlationId?: string };
}

/**
 * Appends events to the service's outbox inside the caller's transaction: they become visible to
 * the relay exactly when the state change that caused them commits, and never without it.
 */
export class Outbox {
  constructor(
    readonly schema: string,
    private readonly source: string,
  ) {}

  async append(manager: EntityManager, events: OutboxEvent[]): Promise<string[]> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('Outbox.append must run inside the transaction of the state change');
    }
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    const ids: string[] = [];
    for (const e of events) {
      const data = parseEventData(e.type, e.data); // never publish what consumers would reject
      const env = newEnvelope({
        type: e.type,
        source: this.source,
        subject: e.aggregateId,
        data,
        traceparent: carrier.traceparent,
        correlationId: e.cause?.correlationId ?? e.cause?.id,
        causationId: e.cause?.id,
      });
      await manager.query(
        `INSERT INTO "${this.schema}".outbox (event_id, topic, aggregate_type, aggregate_id, event_type, payload, metadata)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          env.id,
          topicOf(e.type),
          e.aggregateType,
          e.aggregateId,
          e.type,
          JSON.stringify(env.data),
          JSON.stringify({
            source: env.source,
            time: env.time,
            traceparent: env.traceparent,
            correlationId: env.correlationId,
            causationId: env.causationId,
          }),
        ],
      );
      ids.push(env.id);
    }
    return ids;
  }
}
