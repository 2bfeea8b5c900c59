import { assertIdentifier, Queryable, selectRows } from '@aftersales/persistence';
import type { AfterQueryEvent, BeforeQueryEvent, DataSource, EntitySubscriberInterface, QueryRunner, TransactionStartEvent } from 'typeorm';
import { currentActor, SchemaMigration } from './audit-log';

/**
 * Row-level audit (ADR 0009): a trigger on every business table of a service writes each
 * INSERT, UPDATE (the changed columns only, before and after) and DELETE into the service's
 * `audit_log`, in the transaction of the change. Entries of one transaction share its `tx`
 * (`txid_current()`) with the event entries the outbox writes, which name the event.
 */

/** The transaction-local setting holding who acts and when: `{actor, role, region, at}` as JSON. */
export const AUDIT_CONTEXT_SETTING = 'aftersales.audit';

/** Tables no service audits row by row: the messaging plumbing and the log itself. */
export const PLUMBING_TABLES = ['audit_log', 'outbox', 'inbox', 'idempotency_keys', 'migrations'];

/** What a service keeps out of the row-level audit. */
export interface RowAuditPolicy {
  /** bookkeeping tables that churn and hold no state a person changes (timer firings, read models) */
  skipTables?: string[];
  /** bookkeeping columns: an UPDATE that changes only these is not audited, nor are they shown */
  skipColumns?: Record<string, string[]>;
}

export function rowAuditSql(schemaName: string): string[] {
  const s = assertIdentifier(schemaName);
  return [
    // row entries name no event; `tx` links every entry to the others of its transaction
    `ALTER TABLE "${s}".audit_log ALTER COLUMN event_id DROP NOT NULL, ADD COLUMN tx bigint`,
    `ALTER TABLE "${s}".audit_log ALTER COLUMN tx SET DEFAULT txid_current()`,
    `CREATE INDEX audit_log_tx ON "${s}".audit_log (tx) WHERE tx IS NOT NULL`,
    // TG_ARGV[0]: the primary key's columns, comma-separated; TG_ARGV[1]: the columns left out
    `CREATE FUNCTION "${s}".audit_row_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        ctx jsonb := nullif(current_setting('${AUDIT_CONTEXT_SETTING}', true), '')::jsonb;
        skip text[] := coalesce(string_to_array(nullif(TG_ARGV[1], ''), ','), '{}');
        o jsonb;
        n jsonb;
        b jsonb;
        a jsonb;
        r jsonb;
      BEGIN
        IF TG_OP <> 'INSERT' THEN o := to_jsonb(OLD) - skip; END IF;
        IF TG_OP <> 'DELETE' THEN n := to_jsonb(NEW) - skip; END IF;
        IF TG_OP = 'UPDATE' THEN
          SELECT jsonb_object_agg(k.key, o -> k.key), jsonb_object_agg(k.key, k.value) INTO b, a
            FROM jsonb_each(n) k WHERE k.value IS DISTINCT FROM o -> k.key;
          IF a IS NULL THEN RETURN NULL; END IF;
        ELSE
          b := o;
          a := n;
        END IF;
        r := coalesce(n, o);
        INSERT INTO "${s}".audit_log (at, actor, actor_role, region, case_id, aggregate_type, aggregate_id, action, before, after)
        VALUES (
          coalesce((ctx ->> 'at')::timestamptz, now()),
          coalesce(ctx ->> 'actor', 'service:' || coalesce(current_setting('aftersales.service', true), TG_TABLE_SCHEMA)),
          ctx ->> 'role',
          coalesce(r ->> 'region', ctx ->> 'region', current_setting('aftersales.region', true)),
          coalesce(r ->> 'case_id', CASE WHEN TG_TABLE_NAME = 'cases' THEN r ->> 'id' END),
          TG_TABLE_NAME,
          coalesce((SELECT string_agg(coalesce(r ->> c.col, ''), ':' ORDER BY c.i)
                      FROM unnest(string_to_array(nullif(TG_ARGV[0], ''), ',')) WITH ORDINALITY c (col, i)), ''),
          TG_TABLE_NAME || '.' || lower(TG_OP),
          b,
          a);
        RETURN NULL;
      END $$`,
  ];
}

/** Every service runs it (the platform adds it after the service's migrations). */
export class AuditRowChanges1700000017600 extends SchemaMigration {
  name = 'AuditRowChanges1700000017600';
  protected upSql = rowAuditSql;
  protected downSql = (s: string) => [`DROP FUNCTION "${s}".audit_row_change() CASCADE`, `ALTER TABLE "${s}".audit_log DROP COLUMN tx`];
}

interface TableRow {
  table: string;
  pk: string[] | null;
  args: Buffer | null;
}

/**
 * Puts the row trigger on every table of the schema that the policy does not leave out, or
 * replaces it where its arguments changed. Run after the migrations, so a table a later migration
 * adds is audited without anyone remembering to: leaving one out is a line in the policy.
 */
export async function attachRowAudit(db: Queryable, schemaName: string, policy: RowAuditPolicy = {}): Promise<string[]> {
  const s = assertIdentifier(schemaName);
  const skipped = new Set([...PLUMBING_TABLES, ...(policy.skipTables ?? [])]);
  const tables = await selectRows<TableRow>(
    db,
    `SELECT c.relname AS "table",
            (SELECT array_agg(a.attname::text ORDER BY k.i) FROM pg_index x
               CROSS JOIN unnest(x.indkey) WITH ORDINALITY k (attnum, i)
               JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
              WHERE x.indrelid = c.oid AND x.indisprimary) AS pk,
            (SELECT t.tgargs FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = 'audit_row_change') AS args
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      ORDER BY c.relname`,
    [s],
  );
  const attached: string[] = [];
  for (const t of tables) {
    const table = assertIdentifier(t.table);
    if (skipped.has(table)) {
      if (t.args) await dropRowAudit(db, s, table);
      continue;
    }
    const cols = (policy.skipColumns?.[table] ?? []).map(assertIdentifier);
    const want = [(t.pk ?? []).join(','), cols.join(',')];
    const have = t.args ? t.args.toString('utf8').split('\0').slice(0, 2) : undefined;
    if (have && have[0] === want[0] && have[1] === want[1]) continue;
    // an UPDATE that changes only left-out columns does not even call the function
    const changed = cols.length
      ? `(to_jsonb(OLD) - '{${cols.join(',')}}'::text[]) IS DISTINCT FROM (to_jsonb(NEW) - '{${cols.join(',')}}'::text[])`
      : 'to_jsonb(OLD) IS DISTINCT FROM to_jsonb(NEW)';
    const fn = `"${s}".audit_row_change('${want[0]}', '${want[1]}')`;
    await dropRowAudit(db, s, table);
    await db.query(`CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE ON "${s}"."${table}" FOR EACH ROW EXECUTE FUNCTION ${fn}`);
    await db.query(
      `CREATE TRIGGER audit_row_change_update AFTER UPDATE ON "${s}"."${table}" FOR EACH ROW WHEN (${changed}) EXECUTE FUNCTION ${fn}`,
    );
    attached.push(table);
  }
  return attached;
}

async function dropRowAudit(db: Queryable, s: string, table: string): Promise<void> {
  await db.query(`DROP TRIGGER IF EXISTS audit_row_change ON "${s}"."${table}"`);
  await db.query(`DROP TRIGGER IF EXISTS audit_row_change_update ON "${s}"."${table}"`);
}

/** Attaches the row triggers under a transaction-scoped lock (replicas start together). */
export async function attachRowAuditOnce(ds: DataSource, schema: string, policy: RowAuditPolicy = {}): Promise<void> {
  await ds.transaction(async (m) => {
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${schema}.audit_row_change`]);
    await attachRowAudit(m, schema, policy);
  });
}

const WRITE = /^\s*(insert|update|delete|merge)\b|^\s*with\b[\s\S]*\b(insert|update|delete)\s/i;

/**
 * Tells the row triggers who acts while an HTTP request is handled: its token's subject, role and
 * region, and the service clock's time, in the setting the trigger reads. A transaction gets it
 * once, at its start (transaction-local); a write outside a transaction gets it just before and
 * cleared just after, on its own connection. Outside a request (event handlers, timers) nothing is
 * added, and the trigger names the service and the database's time.
 */
export class AuditContextSubscriber implements EntitySubscriberInterface {
  private readonly scoped = new WeakSet<QueryRunner>();

  constructor(private readonly now: () => Date) {}

  private context(): string | undefined {
    const actor = currentActor();
    if (!actor) return undefined;
    return JSON.stringify({ actor: actor.subject, role: actor.role ?? null, region: actor.region ?? null, at: this.now().toISOString() });
  }

  async afterTransactionStart(event: TransactionStartEvent): Promise<void> {
    const ctx = this.context();
    if (ctx) await event.queryRunner.query(`SELECT set_config('${AUDIT_CONTEXT_SETTING}', $1, true)`, [ctx]);
  }

  async beforeQuery(event: BeforeQueryEvent<unknown>): Promise<void> {
    const qr = event.queryRunner;
    if (qr.isTransactionActive || this.scoped.has(qr) || !WRITE.test(event.query)) return;
    const ctx = this.context();
    if (!ctx) return;
    this.scoped.add(qr);
    await qr.query(`SELECT set_config('${AUDIT_CONTEXT_SETTING}', $1, false)`, [ctx]);
  }

  async afterQuery(event: AfterQueryEvent<unknown>): Promise<void> {
    const qr = event.queryRunner;
    if (!this.scoped.has(qr) || !WRITE.test(event.query)) return;
    this.scoped.delete(qr);
    await qr.query(`SELECT set_config('${AUDIT_CONTEXT_SETTING}', '', false)`);
  }
}
