import { AsyncLocalStorage } from 'node:async_hooks';
import { assertIdentifier } from '@aftersales/persistence';
import { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log: who changed what, when, and how it looked before and after. Every state change
 * that emits an event writes its entry in the same transaction as the event (the outbox calls
 * `AuditTrail.record`), so the log holds exactly the changes that happened. The table takes
 * INSERTs only: a trigger refuses UPDATE, DELETE and TRUNCATE, whoever asks.
 */
export function auditLogTableSql(schemaName: string): string[] {
  const s = assertIdentifier(schemaName);
  return [
    `CREATE TABLE "${s}".audit_log (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL,
      actor text NOT NULL,
      actor_role text,
      region text,
      case_id text,
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      action text NOT NULL,
      event_id uuid NOT NULL,
      before jsonb,
      after jsonb
    )`,
    `CREATE INDEX audit_log_case ON "${s}".audit_log (case_id, id) WHERE case_id IS NOT NULL`,
    `CREATE INDEX audit_log_actor ON "${s}".audit_log (actor, id)`,
    `CREATE FUNCTION "${s}".audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$`,
    `CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON "${s}".audit_log
      FOR EACH ROW EXECUTE FUNCTION "${s}".audit_log_append_only()`,
    `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "${s}".audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION "${s}".audit_log_append_only()`,
  ];
}

/** A migration made of statements on the service's own schema (the platform's, added to every service). */
export abstract class SchemaMigration implements MigrationInterface {
  abstract readonly name: string;
  protected abstract upSql(schema: string): string[];
  protected abstract downSql(schema: string): string[];

  async up(q: QueryRunner): Promise<void> {
    for (const sql of this.upSql(q.connection.driver.schema!)) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of this.downSql(q.connection.driver.schema!)) await q.query(sql);
  }
}

/** Every service runs it (the platform adds it to the service's migrations). */
export class AuditLog1700000017500 extends SchemaMigration {
  name = 'AuditLog1700000017500';
  protected upSql = auditLogTableSql;
  protected downSql = (s: string) => [`DROP TABLE "${s}".audit_log`, `DROP FUNCTION "${s}".audit_log_append_only()`];
}

/** A row of `audit_log` as the database answers it. */
export interface AuditLogRow {
  id: string;
  at: Date;
  actor: string;
  actor_role: string | null;
  region: string | null;
  case_id: string | null;
  aggregate_type: string;
  aggregate_id: string;
  action: string;
  /** null on a row entry (ADR 0009) */
  event_id: string | null;
  /** the transaction (`txid_current()`); null on entries written before ADR 0009 */
  tx: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditActor {
  subject: string;
  role?: string;
  region?: string;
}

/**
 * Who is acting in the current async context: the HTTP edge opens a scope per request whose
 * actor is read when the change is written (the token is verified after the scope opens).
 * Outside a request (an event handler, a timer) the acting party is the service itself.
 */
const actorScope = new AsyncLocalStorage<() => AuditActor | undefined>();

export function runWithActor<T>(actor: () => AuditActor | undefined, fn: () => T): T {
  return actorScope.run(actor, fn);
}

export function currentActor(): AuditActor | undefined {
  return actorScope.getStore()?.();
}

/** What the outbox knows about one appended event. */
export interface AuditedEvent {
  eventId: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  time: string;
  data: Record<string, unknown>;
  /** given by the call site when it has them; else derived from the event (see `entryOf`) */
  before?: unknown;
  after?: unknown;
}

export interface AuditEntry {
  at: string;
  actor: string;
  actorRole: string | null;
  region: string | null;
  caseId: string | null;
  aggregateType: string;
  aggregateId: string;
  action: string;
  eventId: string;
  before: unknown;
  after: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * One entry from an event. Events carry most of it already: `actor` and `at` (case events), the
 * case and region; a status move's `from`/`to` is its before/after. Otherwise the actor is the
 * request's token, or the service itself; after is the event's data.
 */
export function entryOf(e: AuditedEvent, service: { name: string; region: string }): AuditEntry {
  const d = e.data;
  const named = d.actor && typeof d.actor === 'object' ? (d.actor as Record<string, unknown>) : undefined;
  const request = currentActor();
  const subject = str(named?.subject) ?? request?.subject ?? `service:${service.name}`;
  const moved = 'from' in d && 'to' in d && typeof d.from === 'string' && typeof d.to === 'string';
  return {
    at: str(d.at) ?? e.time,
    actor: subject,
    actorRole: str(named?.role) ?? request?.role ?? null,
    region: str(d.region) ?? request?.region ?? service.region,
    caseId: str(d.caseId) ?? (e.aggregateType === 'case' ? e.aggregateId : null),
    aggregateType: e.aggregateType,
    aggregateId: e.aggregateId,
    action: e.type,
    eventId: e.eventId,
    before: e.before ?? (moved ? { status: d.from } : null),
    after: e.after ?? (moved ? { status: d.to } : d),
  };
}

/** Writes audit entries of one service schema, inside the caller's transaction. */
export class AuditTrail {
  private readonly schema: string;
  private readonly service: { name: string; region: string };

  /** `source` is the events' `ce_source`: `aftersales/<service>/<region>` */
  constructor(schema: string, source: string) {
    this.schema = assertIdentifier(schema);
    const [, name = 'unknown', region = 'unknown'] = source.split('/');
    this.service = { name, region };
  }

  async record(manager: EntityManager, events: AuditedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const { sql, params } = this.insert(events, 1);
    await manager.query(sql, params);
  }

  /**
   * The INSERT of these entries with its parameters numbered from `first`, for a caller that sends
   * it together with another statement (the outbox's, as one round trip).
   */
  insert(events: AuditedEvent[], first: number): { sql: string; params: unknown[] } {
    const rows = events.map((e) => entryOf(e, this.service));
    const col = <K extends keyof AuditEntry>(k: K) => rows.map((r) => r[k]);
    const json = (k: 'before' | 'after') => rows.map((r) => (r[k] === null || r[k] === undefined ? null : JSON.stringify(r[k])));
    const types = ['timestamptz', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'uuid', 'jsonb', 'jsonb'];
    const arrays = types.map((t, i) => `$${first + i}::${t}[]`).join(', ');
    return {
      sql: `INSERT INTO "${this.schema}".audit_log (at, actor, actor_role, region, case_id, aggregate_type, aggregate_id, action, event_id, before, after)
       SELECT * FROM unnest(${arrays})`,
      params: [
        col('at'),
        col('actor'),
        col('actorRole'),
        col('region'),
        col('caseId'),
        col('aggregateType'),
        col('aggregateId'),
        col('action'),
        col('eventId'),
        json('before'),
        json('after'),
      ],
    };
  }
}
