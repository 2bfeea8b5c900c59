import { AuditEntry } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import { selectOne } from '@aftersales/persistence';
import { Seeded, seed } from './support/seed';
import { ServiceName, Stack, startStack, token } from './support/stack';

/** An entry as `GET /audit` answers it. */
type Entry = Omit<AuditEntry, 'eventId' | 'before' | 'after'> & {
  eventId: string | null;
  tx: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};

/**
 * The audit log row by row (ADR 0009): a change to a business table is in its service's log with
 * who made it, when, and exactly the columns it changed before and after — whether or not it
 * published an event — and a change rolled back leaves nothing. Five services in-process; survey's
 * answers are checked in its own answers test.
 */
describe('audit log: every state change, before and after (in-process services, real PostgreSQL)', () => {
  const clock = new ManualClock('2026-05-04T01:00:00Z');
  let stack: Stack;
  let s: Seeded;
  let manager: string;
  let admin: string; // registry and directory writes are the admin's

  beforeAll(async () => {
    stack = await startStack(['intake', 'case', 'escalation', 'spares', 'notify'], { clock });
    s = await seed(stack, { suffix: 'AU', n: 7 });
    manager = await token('manager', { sub: 'mgr-audit' });
    admin = await token('admin', { sub: 'adm-audit' });
  }, 180_000);
  afterAll(() => stack?.stop(), 60_000);

  const log = async (service: ServiceName, query: string): Promise<Entry[]> => {
    const r = await stack.get(service).http('GET', `/audit?limit=200&${query}`, { token: manager });
    expect(r.status).toBe(200);
    return (r.body as { items: Entry[] }).items;
  };
  /** The one row entry of `table` with `action` made by the actor (newest first). */
  const rowEntry = async (service: ServiceName, actor: string, action: string) => {
    const entries = (await log(service, `actor=${actor}`)).filter((e) => e.action === action);
    expect(entries.map((e) => e.action)).toEqual([action]);
    return entries[0]!;
  };
  const auditCount = async (service: ServiceName) => {
    const t = stack.get(service);
    const row = await selectOne<{ n: number }>(t.service.runtime.dataSource, `SELECT count(*)::int AS n FROM "${t.schema}".audit_log`);
    return row?.n;
  };

  it('case: a reassignment shows the manager, the time and the owner before and after, in the transaction of its event', async () => {
    const created = await stack.get('case').http('POST', '/engineers', {
      token: admin,
      body: { id: 'E-AU2', name: 'Qian AU', tier: 'L2', grade: 'product-engineer', region: 'north' },
    });
    expect(created.status).toBe(201);
    clock.set('2026-05-04T02:30:00Z');
    const moved = await stack.get('case').http('POST', `/cases/${s.caseId}/assignment`, {
      token: manager,
      body: { engineerId: 'E-AU2', reason: 'rebalance' },
    });
    expect(moved.status).toBe(200);

    const entries = await log('case', `caseId=${s.caseId}`);
    const row = entries.find((e) => e.action === 'cases.update' && e.actor === 'mgr-audit');
    expect(row).toMatchObject({
      at: '2026-05-04T02:30:00.000Z',
      actorRole: 'manager',
      region: 'north',
      caseId: s.caseId,
      aggregateType: 'cases',
      aggregateId: s.caseId,
      eventId: null,
    });
    // exactly what changed: the case's other columns are in neither image
    expect({ before: row!.before, after: row!.after }).toEqual({
      before: { assignee_id: s.engineerId, assignee_name: 'Zhao AU' },
      after: { assignee_id: 'E-AU2', assignee_name: 'Qian AU' },
    });
    const event = entries.find((e) => e.tx === row!.tx && e.eventId !== null);
    expect(event).toMatchObject({ action: 'case.assigned.v1', actor: 'mgr-audit' });
  });

  it('case: the case the service opened on intake’s event is a row entry of the service, linked to its event', async () => {
    const entries = await log('case', `caseId=${s.caseId}`);
    const opened = entries.find((e) => e.action === 'cases.insert');
    expect(opened).toMatchObject({ actor: 'service:case', aggregateId: s.caseId, before: null });
    expect(opened!.after).toMatchObject({ id: s.caseId, symptom: 'array offline', severity: 'P3' });
    expect(entries.filter((e) => e.tx === opened!.tx).map((e) => e.action)).toContain('case.opened.v1');
  });

  it('intake: a registry PATCH shows the old and the new name', async () => {
    const r = await stack
      .get('intake')
      .http('PATCH', `/customers/${s.customerId}`, { token: admin, body: { name: 'Customer AU renamed' } });
    expect(r.status).toBe(200);
    const row = await rowEntry('intake', 'adm-audit', 'customers.update');
    expect(row).toMatchObject({ aggregateId: s.customerId, region: 'north', actorRole: 'admin' });
    expect(row.before).toMatchObject({ name: 'Customer AU' });
    expect(row.after).toMatchObject({ name: 'Customer AU renamed' });
    expect(Object.keys(row.after!).filter((k) => k !== 'updated_at')).toEqual(['name']);
  });

  it('spares: a stock move shows the quantity on hand before and after', async () => {
    const t = stack.get('spares');
    const onHand = async () =>
      (
        await selectOne<{ on_hand: number }>(
          t.service.runtime.dataSource,
          `SELECT on_hand FROM "${t.schema}".stock WHERE depot_id = $1 AND part_number = $2`,
          [s.depotId, s.partNumber],
        )
      )?.on_hand;
    const was = await onHand();
    const r = await t.http('POST', `/depots/${s.depotId}/stock-in`, { token: manager, body: { partNumber: s.partNumber, quantity: 3 } });
    expect(r.status).toBeLessThan(300);
    const row = await rowEntry('spares', 'mgr-audit', 'stock.update');
    expect(row).toMatchObject({ aggregateId: `${s.depotId}:${s.partNumber}`, before: { on_hand: was }, after: { on_hand: was! + 3 } });
  });

  it('notify and escalation: changes that publish no event are audited too', async () => {
    const notify = stack.get('notify');
    const put = await notify.http('PUT', `/people/${s.personId}`, {
      token: admin,
      body: { name: 'Sun AU', region: 'north', roles: ['agent'], email: 'sun.new@example.com' },
    });
    expect(put.status).toBe(200);
    const person = await rowEntry('notify', 'adm-audit', 'people.update');
    expect(person).toMatchObject({
      aggregateId: s.personId,
      before: { email: 'sunAU@example.com' },
      after: { email: 'sun.new@example.com' },
    });
    expect((await log('notify', 'offset=0')).filter((e) => e.tx === person.tx).map((e) => e.action)).toEqual(['people.update']);

    const calendar = (timeZone: string) => ({
      definition: { timeZone, kind: 'business-hours', weekly: { 1: [{ start: '09:00', end: '18:00' }] } },
    });
    for (const tz of ['Asia/Shanghai', 'Asia/Tokyo'])
      expect((await stack.get('escalation').http('PUT', '/calendars/CAL-AU-ESC', { token: admin, body: calendar(tz) })).status).toBe(200);
    const changed = await rowEntry('escalation', 'adm-audit', 'calendars.update');
    expect(changed).toMatchObject({ aggregateId: 'CAL-AU-ESC', actorRole: 'admin', region: 'north' });
    expect(changed.before?.definition).toMatchObject({ timeZone: 'Asia/Shanghai' });
    expect(changed.after?.definition).toMatchObject({ timeZone: 'Asia/Tokyo' });
  });

  it('leaves nothing for a change rolled back, and nothing for the firing loop’s bookkeeping', async () => {
    const t = stack.get('case');
    const before = await auditCount('case');
    await expect(
      t.service.runtime.dataSource.transaction(async (m) => {
        await m.query(`UPDATE "${t.schema}".cases SET symptom = 'rewritten' WHERE id = $1`, [s.caseId]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await auditCount('case')).toBe(before);
    const refused = await t.http('POST', `/cases/${s.caseId}/assignment`, {
      token: manager,
      body: { engineerId: 'E-NOBODY', reason: 'x' },
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(await auditCount('case')).toBe(before);

    const e = stack.get('escalation');
    const quiet = await auditCount('escalation');
    await e.service.runtime.dataSource.query(`UPDATE "${e.schema}".sla_clocks SET next_due_at = next_due_at + interval '1 minute'`);
    expect(await auditCount('escalation')).toBe(quiet);
    await e.service.runtime.dataSource.query(
      `UPDATE "${e.schema}".sla_clocks SET due_at = due_at + interval '1 minute' WHERE case_id = $1`,
      [s.caseId],
    );
    expect(await auditCount('escalation')).toBeGreaterThan(quiet!);
  });

  it('stays append-only: the row entries can be neither changed nor removed', async () => {
    const t = stack.get('intake');
    const q = (sql: string) => t.service.runtime.dataSource.query(sql);
    await expect(q(`UPDATE "${t.schema}".audit_log SET before = NULL WHERE event_id IS NULL`)).rejects.toThrow(/append-only/);
    await expect(q(`DELETE FROM "${t.schema}".audit_log WHERE event_id IS NULL`)).rejects.toThrow(/append-only/);
  });
});
