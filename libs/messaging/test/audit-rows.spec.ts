import { attachRowAudit, AuditLogRow, auditLogTableSql, rowAuditSql } from '@aftersales/messaging';
import { selectRows } from '@aftersales/persistence';
import { messagingSchema } from './messaging-fixture';

type Fixture = Awaited<ReturnType<typeof messagingSchema>>;

type Row = AuditLogRow & { before: Record<string, unknown> | null; after: Record<string, unknown> | null };

/** The row trigger on a bare schema: which tables it covers, what it writes, what it leaves out. */
describe('row-level audit (real PostgreSQL)', () => {
  let f: Fixture;
  const q = (sql: string, params: unknown[] = []) => f.dataSource.query(sql, params);
  const entries = () => selectRows<Row>(f.dataSource, `SELECT * FROM "${f.schema}".audit_log ORDER BY id`);

  beforeEach(async () => {
    f = await messagingSchema('auditrows');
    for (const sql of [...auditLogTableSql(f.schema), ...rowAuditSql(f.schema)]) await q(sql);
    await q(`CREATE TABLE "${f.schema}".tickets (id text PRIMARY KEY, case_id uuid, region text, state text, next_look timestamptz)`);
    await q(`CREATE TABLE "${f.schema}".firings (ticket_id text, at timestamptz)`);
  });
  afterEach(() => f.drop());

  it('covers every table but the plumbing and what the policy leaves out, and follows the policy when it changes', async () => {
    const policy = { skipTables: ['firings'], skipColumns: { tickets: ['next_look'] } };
    expect(await attachRowAudit(f.dataSource, f.schema, policy)).toEqual(['tickets']);
    // nothing to do the second time; a table added later is picked up
    expect(await attachRowAudit(f.dataSource, f.schema, policy)).toEqual([]);
    await q(`CREATE TABLE "${f.schema}".notes (ticket_id text, seq int, body text, PRIMARY KEY (ticket_id, seq))`);
    expect(await attachRowAudit(f.dataSource, f.schema, policy)).toEqual(['notes']);
    // a table no longer left out is audited, one now left out is not
    expect(await attachRowAudit(f.dataSource, f.schema, { skipTables: ['notes'], skipColumns: policy.skipColumns })).toEqual(['firings']);
    await q(`INSERT INTO "${f.schema}".notes VALUES ('T-1', 1, 'x')`);
    await q(`INSERT INTO "${f.schema}".firings VALUES ('T-1', now())`);
    expect((await entries()).map((e) => e.action)).toEqual(['firings.insert']);
  });

  it('writes the whole row on INSERT and DELETE, the changed columns on UPDATE, nothing for left-out columns', async () => {
    await attachRowAudit(f.dataSource, f.schema, { skipTables: ['firings'], skipColumns: { tickets: ['next_look'] } });
    const caseId = '6f1c1f7e-0000-4000-8000-000000000001';
    await q(`INSERT INTO "${f.schema}".tickets VALUES ('T-1', $1, 'north', 'open', now())`, [caseId]);
    await q(`UPDATE "${f.schema}".tickets SET next_look = now() + interval '1 hour'`);
    await q(`UPDATE "${f.schema}".tickets SET state = 'open'`);
    await q(`UPDATE "${f.schema}".tickets SET state = 'closed', next_look = NULL`);
    await q(`DELETE FROM "${f.schema}".tickets`);
    const common = {
      actor: `service:${f.schema}`,
      region: 'north',
      case_id: caseId,
      aggregate_type: 'tickets',
      aggregate_id: 'T-1',
      event_id: null,
    };
    const row = { id: 'T-1', case_id: caseId, region: 'north', state: 'open' };
    expect(await entries()).toEqual([
      {
        ...common,
        action: 'tickets.insert',
        before: null,
        after: row,
        id: expect.any(String),
        at: expect.any(Date),
        actor_role: null,
        tx: expect.any(String),
      },
      {
        ...common,
        action: 'tickets.update',
        before: { state: 'open' },
        after: { state: 'closed' },
        id: expect.any(String),
        at: expect.any(Date),
        actor_role: null,
        tx: expect.any(String),
      },
      {
        ...common,
        action: 'tickets.delete',
        before: { ...row, state: 'closed' },
        after: null,
        id: expect.any(String),
        at: expect.any(Date),
        actor_role: null,
        tx: expect.any(String),
      },
    ]);
  });

  it('takes who and when from the transaction’s setting, and shares the transaction id with the event entries', async () => {
    await attachRowAudit(f.dataSource, f.schema);
    await f.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('aftersales.audit', $1, true)`, [
        JSON.stringify({ actor: 'mgr-li', role: 'manager', region: 'south', at: '2026-05-04T02:00:00.000Z' }),
      ]);
      await m.query(`INSERT INTO "${f.schema}".firings VALUES ('T-9', now())`);
      await m.query(
        `INSERT INTO "${f.schema}".audit_log (at, actor, aggregate_type, aggregate_id, action, event_id) VALUES (now(), 'mgr-li', 't', 'T-9', 'x.v1', gen_random_uuid())`,
      );
    });
    const [row, event] = await selectRows<Row>(f.dataSource, `SELECT * FROM "${f.schema}".audit_log ORDER BY id`);
    expect(row).toMatchObject({ actor: 'mgr-li', actor_role: 'manager', region: 'south', aggregate_id: '' });
    expect(row!.at.toISOString()).toBe('2026-05-04T02:00:00.000Z');
    expect(row!.tx).toBe(event!.tx);
  });
});
