import { CaseStatus } from '@aftersales/contracts';
import { deliver, requestReceived, TestService, tokenFor, upstreamEvent, waitFor } from '@aftersales/testing';
import { Recorded, startCaseService } from './case-harness';
import { ALL_STATUSES, allowedNext } from '../src/domain/case-lifecycle';
import { CaseTransitions } from '../src/cases/case-transitions.service';

/** The lifecycle over HTTP: every legal step recorded and announced, every illegal one 409 and without effect. */
describe('case lifecycle through the API (real PostgreSQL, in-process bus)', () => {
  let t: TestService;
  let events: Recorded;
  let admin: string;
  beforeAll(async () => {
    ({ t, events } = await startCaseService());
    admin = await tokenFor('admin', { global: true }); // cases of several regions: seeing them all is explicit
    // one engineer so that cases can be assigned
    const created = await t.http('POST', '/engineers', {
      token: admin,
      body: { id: 'eng-l1', name: 'Zhang San', tier: 'L1', grade: 'maintenance-engineer', skills: ['storage'], region: 'north' },
    });
    expect(created.status).toBe(201);
  });
  afterAll(() => t.stop());

  async function openCase(over: Parameters<typeof requestReceived>[0] = {}) {
    const request = requestReceived({ severity: 'P3', productLine: 'storage', ...over });
    await deliver(t.bus, upstreamEvent('intake.request.received.v1', request.requestId, request));
    const [c] = (await t.http('GET', `/cases?requestId=${request.requestId}`, { token: admin })).body.items;
    return c as { id: string; caseNumber: string; status: CaseStatus; customerId: string };
  }
  const move = (id: string, to: CaseStatus, reason?: string, token = admin) =>
    t.http('POST', `/cases/${id}/transitions`, { token, body: { to, ...(reason ? { reason } : {}) } });
  const footprint = async (id: string) => ({
    outbox: (
      await t.service.runtime.dataSource.query(`SELECT count(*)::int AS n FROM "${t.schema}".outbox WHERE aggregate_id = $1`, [id])
    )[0].n,
    history: (await t.http('GET', `/cases/${id}/history`, { token: admin })).body.items.length,
    log: (await t.http('GET', `/cases/${id}/worklog?limit=200`, { token: admin })).body.total,
    status: (await t.http('GET', `/cases/${id}`, { token: admin })).body.status,
  });

  /** Every move the table does not have, tried from the case's current status: 409, the allowed list, nothing written. */
  async function refusesAllIllegal(id: string, from: CaseStatus) {
    const before = await footprint(id);
    expect(before.status).toBe(from);
    for (const bad of ALL_STATUSES.filter((s) => !allowedNext(from).includes(s))) {
      const r = await move(id, bad, 'trying anyway');
      expect({ from, bad, status: r.status }).toEqual({ from, bad, status: 409 });
      expect(r.body.allowed).toEqual(allowedNext(from, 'admin'));
      expect(r.body.errors).toEqual([{ field: 'status', reason: `a ${from} case cannot move to ${bad}` }]);
    }
    expect(await footprint(id)).toEqual(before);
  }

  it('walks every status, refusing each illegal move with 409, the allowed list, and no trace', async () => {
    // a region without engineers: the case waits triaged for an owner
    const unowned = await openCase({ region: 'west' });
    await refusesAllIllegal(unowned.id, 'triaged');

    const c = await openCase();
    expect(c.status).toBe('assigned'); // intake triaged it, the policy gave it to the L1 engineer
    await refusesAllIllegal(c.id, 'assigned');
    const path: Array<[CaseStatus, string?]> = [
      ['in-progress'],
      ['on-site'],
      ['escalated', 'needs second line'],
      ['vendor-case-open'],
      ['waiting-vendor', 'vendor analysing logs'],
      ['waiting-parts', 'controller ordered'],
      ['waiting-customer', 'maintenance window on Sunday'],
      ['in-progress'],
      ['resolved'],
      ['confirmed'],
      ['closed'],
      ['reopened', 'fault came back'],
    ];
    const visited = new Set<CaseStatus>(['triaged', 'assigned']);
    for (const [to, reason] of path) {
      const moved = await move(c.id, to, reason);
      expect({ to, status: moved.status }).toEqual({ to, status: 200 });
      expect(moved.body.status).toBe(to);
      visited.add(to);
      await refusesAllIllegal(c.id, to);
    }
    expect(visited.size).toBe(13); // every status but `received`, which intake's triage leaves at once
    // triaged + assigned at opening, then the path, in order
    const expected = ['triaged', 'assigned', ...path.map(([s]) => s)];
    const changes = await waitFor('every status change announced', () => {
      const seen = events.filter((e) => e.type === 'case.status.changed.v1' && e.subject === c.id);
      return seen.length >= expected.length && seen;
    });
    expect(changes.map((e) => (e.data as { to: string }).to)).toEqual(expected);
  });

  it('announces each transition on aftersales.case.events.v1 keyed by the case id, with actor, reason and time', async () => {
    const c = await openCase();
    const agent = await tokenFor('agent', { sub: 'agent-7' });
    await move(c.id, 'in-progress', undefined, agent);
    expect((await move(c.id, 'waiting-customer', 'asked for the array logs', agent)).status).toBe(200);
    const paused = await waitFor('waiting-customer event', () =>
      events.find((e) => e.subject === c.id && e.type === 'case.status.changed.v1' && (e.data as { to: string }).to === 'waiting-customer'),
    );
    expect(paused.data).toMatchObject({
      caseId: c.id,
      caseNumber: c.caseNumber,
      from: 'in-progress',
      to: 'waiting-customer',
      actor: { subject: 'agent-7', role: 'agent' },
      reason: 'asked for the array logs',
      severity: 'P3',
    });
    const recorded = await t.service.runtime.dataSource.query(`SELECT topic, aggregate_id FROM "${t.schema}".outbox WHERE event_id = $1`, [
      paused.id,
    ]);
    expect(recorded).toEqual([{ topic: 'aftersales.case.events.v1', aggregate_id: c.id }]);
    const history = (await t.http('GET', `/cases/${c.id}/history`)).body.items;
    expect(history.at(-1)).toMatchObject({ from: 'in-progress', to: 'waiting-customer', actor: { subject: 'agent-7', role: 'agent' } });
  });

  it('stamps resolution and closing times, and clears them on reopen', async () => {
    const c = await openCase();
    await move(c.id, 'in-progress');
    const resolved = (await move(c.id, 'resolved')).body;
    expect(resolved.resolvedAt).toEqual(expect.any(String));
    await move(c.id, 'confirmed');
    const closed = (await move(c.id, 'closed')).body;
    expect(closed.closedAt).toEqual(expect.any(String));
    const reopened = (await move(c.id, 'reopened', 'same alarm again')).body;
    expect(reopened).toMatchObject({ status: 'reopened', reopenCount: 1, resolvedAt: null, closedAt: null });
    expect((await move(c.id, 'in-progress')).body.status).toBe('in-progress');
  });

  it('demands a reason where one matters (422 naming the field) and writes nothing', async () => {
    const c = await openCase();
    await move(c.id, 'in-progress');
    const before = await footprint(c.id);
    const r = await move(c.id, 'waiting-parts');
    expect(r.status).toBe(422);
    expect(r.body.errors[0].field).toBe('reason');
    expect(await footprint(c.id)).toEqual(before);
    expect((await t.http('POST', `/cases/${c.id}/transitions`, { body: { to: 'done' } })).body.errors[0].field).toBe('to');
  });

  it('lets the customer confirm or reopen its own resolved case, and nothing else', async () => {
    const c = await openCase({ customerId: 'C-LC' });
    const customer = await tokenFor('customer', { customerId: 'C-LC', sub: 'li.wei' });
    await move(c.id, 'in-progress');
    const early = await move(c.id, 'resolved', undefined, customer);
    expect(early.status).toBe(403);
    expect(early.body.allowed).toEqual([]);
    await move(c.id, 'resolved');
    expect((await move(c.id, 'closed', 'no', customer)).body.allowed).toEqual(['confirmed', 'reopened']);
    const confirmed = await move(c.id, 'confirmed', undefined, customer);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.confirmedAt).toEqual(expect.any(String));
    expect((await move(c.id, 'reopened', undefined, customer)).status).toBe(422);
    expect((await move(c.id, 'reopened', 'the fault is back', customer)).status).toBe(200);
    const other = await tokenFor('customer', { customerId: 'C-OTHER' });
    expect((await move(c.id, 'closed', 'x', other)).status).toBe(404);
  });

  it('refuses a move another module guards (409 with its reason) and keeps the case as it was', async () => {
    const transitions = t.service.app.get(CaseTransitions);
    transitions.addGuard('vendor-case-open', (_m, c) => (c.symptom.includes('no-vendor') ? 'no vendor contract for this product' : null));
    const c = await openCase({ symptom: 'no-vendor disk fault' });
    await move(c.id, 'in-progress');
    const before = await footprint(c.id);
    const r = await move(c.id, 'vendor-case-open');
    expect(r.status).toBe(409);
    expect(r.body.errors).toEqual([{ field: 'status', reason: 'no vendor contract for this product' }]);
    expect(r.body.allowed).not.toContain('vendor-case-open');
    expect(r.body.allowed).toContain('escalated');
    expect(await footprint(c.id)).toEqual(before);
  });
});
