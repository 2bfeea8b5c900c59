import { InProcessBus } from '@aftersales/messaging';
import { deliver, requestReceived, startTestService, TestService, tokenFor, upstreamEvent } from '@aftersales/testing';
import { caseService } from '../src/case.service-definition';
import { ALL_STATUSES, allowedNext } from '../src/domain/case-lifecycle';

/**
 * The audit log as a manager reads it: every change to a case, who made it, when, and how it
 * looked before and after — and a log that nobody can rewrite, not even with SQL.
 */
describe('audit log (case service, real PostgreSQL)', () => {
  let t: TestService;
  let admin: string;
  let caseId: string;
  beforeAll(async () => {
    t = await startTestService(caseService, { bus: new InProcessBus({ retryBackoffMs: [10] }) });
    admin = await tokenFor('admin', { sub: 'admin-zhao', region: 'north' });
    const created = await t.http('POST', '/engineers', {
      token: admin,
      body: { id: 'eng-audit', name: 'Zhang San', tier: 'L1', grade: 'maintenance-engineer', skills: ['storage'], region: 'north' },
    });
    expect(created.status).toBe(201);
    const request = requestReceived({ severity: 'P3', productLine: 'storage' });
    await deliver(t.bus, upstreamEvent('intake.request.received.v1', request.requestId, request));
    caseId = (await t.http('GET', `/cases?requestId=${request.requestId}`, { token: admin })).body.items[0].id;
  });
  afterAll(() => t.stop());

  const audit = (query: string, token: string) => t.http('GET', `/audit?${query}`, { token });
  const auditRows = async () =>
    Number((await t.service.runtime.dataSource.query(`SELECT count(*)::int AS n FROM "${t.schema}".audit_log`))[0].n);

  it("records a manager's status change with actor, time and before/after, findable by case and by actor", async () => {
    const manager = await tokenFor('manager', { sub: 'mgr-wang', region: 'north' });
    const moved = await t.http('POST', `/cases/${caseId}/transitions`, { token: admin, body: { to: 'in-progress' } });
    expect(moved.status).toBe(200);
    const on = await t.http('POST', `/cases/${caseId}/transitions`, { token: manager, body: { to: 'on-site', reason: 'visit booked' } });
    expect(on.status).toBe(200);

    const byCase = await audit(`caseId=${caseId}`, manager);
    expect(byCase.status).toBe(200);
    const actions = byCase.body.items.map((e: { action: string; actor: string }) => `${e.action} by ${e.actor}`);
    // newest first; the case was opened by the service itself on intake's event, assigned by its policy
    expect(actions).toEqual(
      expect.arrayContaining([
        'case.status.changed.v1 by mgr-wang',
        'case.status.changed.v1 by admin-zhao',
        'case.opened.v1 by service:case',
      ]),
    );
    const mine = byCase.body.items.find((e: { actor: string }) => e.actor === 'mgr-wang');
    expect(mine).toMatchObject({
      actorRole: 'manager',
      region: 'north',
      caseId,
      aggregateType: 'case',
      before: { status: 'in-progress' },
      after: { status: 'on-site' },
    });
    expect(Date.parse(mine.at)).not.toBeNaN();

    // the event's entry, and the row entries of its transaction (ADR 0009)
    const byActor = await audit('actor=mgr-wang', manager);
    const events = byActor.body.items.filter((e: { eventId: string | null }) => e.eventId !== null);
    expect(events.map((e: { eventId: string }) => e.eventId)).toEqual([mine.eventId]);
    expect(byActor.body.items.every((e: { tx: string }) => e.tx === mine.tx)).toBe(true);
  });

  it('writes nothing for a change that was refused', async () => {
    const before = await auditRows();
    const illegal = ALL_STATUSES.find((s) => s !== 'on-site' && !allowedNext('on-site').includes(s));
    const refused = await t.http('POST', `/cases/${caseId}/transitions`, { token: admin, body: { to: illegal } });
    expect(refused.status).toBe(409);
    expect(await auditRows()).toBe(before);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of the log, even from SQL', async () => {
    const before = await auditRows();
    const q = (sql: string) => t.service.runtime.dataSource.query(sql);
    await expect(q(`UPDATE "${t.schema}".audit_log SET actor = 'someone-else'`)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(q(`DELETE FROM "${t.schema}".audit_log`)).rejects.toThrow(/append-only: DELETE refused/);
    await expect(q(`TRUNCATE "${t.schema}".audit_log`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect(await auditRows()).toBe(before);
    const actors = await q(`SELECT DISTINCT actor FROM "${t.schema}".audit_log`);
    expect(actors.map((r: { actor: string }) => r.actor)).not.toContain('someone-else');
  });

  it('is for managers and admins of the region: customers, agents and engineers are refused, other regions see nothing', async () => {
    const customer = await tokenFor('customer', { customerId: 'C-100' });
    for (const token of [customer, await tokenFor('agent'), await tokenFor('engineer')]) {
      const r = await audit(`caseId=${caseId}`, token);
      expect(r.status).toBe(403);
      expect(JSON.stringify(r.body)).not.toContain(caseId);
    }
    const south = await audit(`caseId=${caseId}`, await tokenFor('manager', { region: 'south' }));
    expect(south.body).toMatchObject({ total: 0, items: [] });
    const southAll = await audit('limit=200', await tokenFor('admin', { region: 'south' }));
    expect(southAll.body.total).toBe(0);
    const global = await audit(`caseId=${caseId}`, await tokenFor('manager', { region: 'south', global: true }));
    expect(global.body.total).toBeGreaterThanOrEqual(3);
  });

  it('names the field of a malformed filter (400), and has no route that writes', async () => {
    const bad = await audit(`actor=${encodeURIComponent('a b')}`, admin);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('actor');
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect((await t.http(method, '/audit', { token: admin, body: {} })).status).toBe(404);
    }
  });
});
