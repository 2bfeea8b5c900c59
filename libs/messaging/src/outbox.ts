import { context, propagation } from '@opentelemetry/api';
import { EventInput, EventType, newEnvelope, topicOf, parseEventData } from '@aftersales/contracts';
import { EntityManager } from 'typeorm';
import { AuditTrail } from './audit-log';

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
  /** the record before and after the change, for the audit log, where the call site has them */
  audit?: { before?: unknown; after?: unknown };
}

/**
 * Appends events to the service's outbox inside the caller's transaction: they become visible to
 * the relay exactly when the state change that caused them commits, and never without it.
 */
export class Outbox {
  constructor(
    readonly schema: string,
    private readonly source: string,
    /** when given, every appended event also writes its audit entry in the same transaction */
    private readonly auditTrail?: AuditTrail,
  ) {}

  async append(manager: EntityManager, events: OutboxEvent[]): Promise<string[]> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('Outbox.append must run inside the transaction of the state change');
    }
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    const rows = events.map((e) => {
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
      return {
        env,
        topic: topicOf(e.type),
        aggregateType: e.aggregateType,
        metadata: JSON.stringify({
          source: env.source,
          time: env.time,
          traceparent: env.traceparent,
          correlationId: env.correlationId,
          causationId: env.causationId,
        }),
      };
    });
    const ids = rows.map((r) => r.env.id);
    if (rows.length === 0) return ids;
    // one statement for the whole batch (a firing tick appends hundreds); ids follow the given order
    const outbox = `INSERT INTO "${this.schema}".outbox (event_id, topic, aggregate_type, aggregate_id, event_type, payload, metadata)
       SELECT event_id, topic, aggregate_type, aggregate_id, event_type, payload, metadata
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[])
              WITH ORDINALITY AS e(event_id, topic, aggregate_type, aggregate_id, event_type, payload, metadata, n)
        ORDER BY n`;
    const params: unknown[] = [
      ids,
      rows.map((r) => r.topic),
      rows.map((r) => r.aggregateType),
      rows.map((r) => r.env.subject),
      rows.map((r) => r.env.type),
      rows.map((r) => JSON.stringify(r.env.data)),
      rows.map((r) => r.metadata),
    ];
    const audit = this.auditTrail?.insert(
      rows.map((r, i) => ({
        eventId: r.env.id,
        type: r.env.type,
        aggregateType: r.aggregateType,
        aggregateId: r.env.subject,
        time: r.env.time,
        data: r.env.data,
        ...events[i]?.audit,
      })),
      params.length + 1,
    );
    // with the audit trail, both inserts go as one statement (a data-modifying WITH): one round trip
    if (audit) await manager.query(`WITH appended AS (${outbox}) ${audit.sql}`, [...params, ...audit.params]);
    else await manager.query(outbox, params);
    return ids;
  }
}
