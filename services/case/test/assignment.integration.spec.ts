import { deliver, requestReceived, TestService, tokenFor, upstreamEvent, waitFor } from '@aftersales/testing';
import { Recorded, registerEngineers, startCaseService } from './case-harness';
import { AssignmentRetry } from '../src/engineers/assignment-retry';

/** Routing by the directory: P1/P2 to a named senior L3 expert (manager informed), P3/P4 to L1 by skill and load. */
describe('case assignment (real PostgreSQL, in-process bus)', () => {
  let t: TestService;
  let events: Recorded;
  let admin: string;
  const engineer = (body: Record<string, unknown>) => t.http('POST', '/engineers', { token: admin, body });

  beforeAll(async () => {
    ({ t, events } = await startCaseService());
    admin = await tokenFor('admin', { global: true }); // cases of several regions: seeing them all is explicit
    await registerEngineers(t, admin, [
      { id: 'exp-n', name: 'Wang Expert', tier: 'L3', grade: 'technical-expert', senior: true, region: 'north', skills: ['storage'] },
      { id: 'l3-n', name: 'Zhao Second', tier: 'L3', grade: 'system-engineer', region: 'north', skills: ['storage'] },
      { id: 'exp-s', name: 'Sun Expert', tier: 'L3', grade: 'technical-expert', senior: true, region: 'south' },
      { id: 'l1-store', name: 'Li Storage', tier: 'L1', grade: 'product-engineer', region: 'north', skills: ['storage'], maxLoad: 2 },
      { id: 'l1-net', name: 'Chen Network', tier: 'L1', grade: 'maintenance-engineer', region: 'north', skills: ['network'], maxLoad: 5 },
      { id: 'l1-south', name: 'Hu South', tier: 'L1', grade: 'product-engineer', region: 'south', skills: ['storage'] },
    ]);
  });
  afterAll(() => t.stop());

  async function openCase(over: Parameters<typeof requestReceived>[0] = {}) {
    const request = requestReceived({ productLine: 'storage', ...over });
    await deliver(t.bus, upstreamEvent('intake.request.received.v1', request.requestId, request));
    return (await t.http('GET', `/cases?requestId=${request.requestId}`, { token: admin })).body.items[0];
  }

  it('cases opened at the same moment never push an engineer past the maximum load', async () => {
    for (const e of [
      { id: 'w-a', name: 'West A', tier: 'L1', grade: 'product-engineer', region: 'west', skills: ['storage'], maxLoad: 1 },
      { id: 'w-b', name: 'West B', tier: 'L1', grade: 'product-engineer', region: 'west', skills: ['storage'], maxLoad: 1 },
    ]) {
      expect((await engineer(e)).status).toBe(201);
    }
    const requests = Array.from({ length: 4 }, () => requestReceived({ productLine: 'storage', severity: 'P3', region: 'west' }));
    await Promise.all(requests.map((r) => deliver(t.bus, upstreamEvent('intake.request.received.v1', r.requestId, r))));
    const cases = await Promise.all(
      requests.map(async (r) => (await t.http('GET', `/cases?requestId=${r.requestId}`, { token: admin })).body.items[0]),
    );
    const owners = cases.map((c: { assigneeId: string | null }) => c.assigneeId);
    expect(owners.filter((o) => o === 'w-a')).toHaveLength(1);
    expect(owners.filter((o) => o === 'w-b')).toHaveLength(1);
    expect(owners.filter((o) => o === null || o === undefined)).toHaveLength(2); // full: left triaged, the log says why

    // room again (one case resolved, one engineer given more): the waiting cases are offered again, oldest first
    const waiting = cases.filter((c: { assigneeId: string | null }) => !c.assigneeId);
    const retry = t.service.app.get(AssignmentRetry);
    expect(await retry.sweep()).toEqual([]); // still full: nothing, and nothing more in their logs
    expect((await t.http('PATCH', '/engineers/w-b', { token: admin, body: { maxLoad: 2 } })).status).toBe(200);
    const assigned = await retry.sweep();
    expect(assigned).toHaveLength(1);
    expect(waiting.map((c: { id: string }) => c.id)).toContain(assigned[0]);
    const now = (await t.http('GET', `/cases/${assigned[0]}`, { token: admin })).body;
    expect(now).toMatchObject({ status: 'assigned', assigneeId: 'w-b' });
    const other = waiting.find((c: { id: string }) => c.id !== assigned[0]);
    const log = (await t.http('GET', `/cases/${other.id}/worklog`, { token: admin })).body.items;
    expect(log.filter((e: { text: string }) => e.text.startsWith('not assigned automatically'))).toHaveLength(1);
  });

  it('gives a P1 at once to the senior second-line expert of the region and informs the manager', async () => {
    const c = await openCase({ severity: 'P1' });
    expect(c).toMatchObject({ status: 'assigned', assigneeId: 'exp-n', assigneeName: 'Wang Expert', tier: 'L3' });
    const assigned = await waitFor('case.assigned.v1', () => events.find((e) => e.type === 'case.assigned.v1' && e.subject === c.id));
    expect(assigned.data).toMatchObject({ caseId: c.id, engineerId: 'exp-n', tier: 'L3', severity: 'P1', actor: { role: 'system' } });
    const informed = await waitFor('manager informed', () =>
      events.find((e) => e.type === 'case.manager-informed.v1' && e.subject === c.id),
    );
    expect(informed.data).toMatchObject({ caseId: c.id, caseNumber: c.caseNumber, expertId: 'exp-n', expertName: 'Wang Expert' });
    const log = (await t.http('GET', `/cases/${c.id}/worklog`)).body.items;
    expect(log.map((e: { kind: string }) => e.kind)).toEqual(['system', 'status', 'assignment', 'system', 'status']);
  });

  it('takes a senior expert of another region when the case’s region has none; P2 counts as an emergency too', async () => {
    const c = await openCase({ severity: 'P2', region: 'east' });
    expect(c.tier).toBe('L3');
    expect(['exp-n', 'exp-s']).toContain(c.assigneeId);
    await waitFor('manager informed', () => events.find((e) => e.type === 'case.manager-informed.v1' && e.subject === c.id));
  });

  it('gives P3/P4 to an L1 hotline engineer with the product skill, then by load, never informing the manager', async () => {
    const first = await openCase({ severity: 'P3' });
    const second = await openCase({ severity: 'P4' });
    expect([first.assigneeId, second.assigneeId]).toEqual(['l1-store', 'l1-store']);
    expect(first.tier).toBe('L1');
    // l1-store holds two open cases now (its max): the next one goes to a colleague with room
    const third = await openCase({ severity: 'P3' });
    expect(third.assigneeId).toBe('l1-net');
    const loads = (await t.http('GET', '/engineers?region=north&tier=L1')).body.items;
    expect(loads.map((e: { id: string; load: number }) => [e.id, e.load])).toEqual([
      ['l1-net', 1],
      ['l1-store', 2],
    ]);
    // a resolved case frees the slot
    await t.http('POST', `/cases/${first.id}/transitions`, { body: { to: 'in-progress' } });
    await t.http('POST', `/cases/${first.id}/transitions`, { body: { to: 'resolved' } });
    const fourth = await openCase({ severity: 'P3' });
    expect(fourth.assigneeId).toBe('l1-store');
    // events of one case come in order: once its assignment is out, a manager-informed would have been too
    await waitFor('assignment announced', () => events.find((e) => e.type === 'case.assigned.v1' && e.subject === fourth.id));
    expect(events.some((e) => e.type === 'case.manager-informed.v1' && e.subject === fourth.id)).toBe(false);
    expect(events.some((e) => e.type === 'case.manager-informed.v1' && e.subject === first.id)).toBe(false);
  });

  it('reassigns by hand with a reason: owner and tier on the case, event and work log', async () => {
    const c = await openCase({ severity: 'P3', region: 'south' });
    expect(c.assigneeId).toBe('l1-south');
    const manager = await tokenFor('manager', { sub: 'mgr-1', region: 'south' });
    const r = await t.http('POST', `/cases/${c.id}/assignment`, {
      token: manager,
      body: { engineerId: 'exp-s', reason: 'hard fault, second line' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ assigneeId: 'exp-s', tier: 'L3', status: 'assigned' });
    const evt = await waitFor('manual case.assigned.v1', () =>
      events.find((e) => e.type === 'case.assigned.v1' && e.subject === c.id && (e.data as { engineerId: string }).engineerId === 'exp-s'),
    );
    expect(evt.data).toMatchObject({ actor: { subject: 'mgr-1', role: 'manager' }, reason: 'hard fault, second line', tier: 'L3' });
    const log = (await t.http('GET', `/cases/${c.id}/worklog`, { token: manager })).body.items;
    expect(log.at(-1)).toMatchObject({ kind: 'assignment', text: 'assigned to Sun Expert (L3), was Hu South (L1)' });
  });

  it('refuses bad reassignments with the field named, and nothing changes', async () => {
    const c = await openCase({ severity: 'P4' });
    const post = (body: unknown, token?: string) => t.http('POST', `/cases/${c.id}/assignment`, { body, token });
    expect((await post({ engineerId: 'nobody', reason: 'x' })).body).toMatchObject({ statusCode: 422, errors: [{ field: 'engineerId' }] });
    const noReason = (await post({ engineerId: 'exp-n' })).body;
    expect(noReason.statusCode).toBe(400);
    expect(new Set(noReason.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['reason']));
    expect((await post({ engineerId: 'exp-n', reason: 'x', tier: 'L9' })).status).toBe(400);
    expect((await post({ engineerId: 'exp-n', reason: 'x' }, await tokenFor('engineer'))).status).toBe(403);
    expect((await post({ engineerId: 'exp-n', reason: 'x' }, await tokenFor('customer', { customerId: 'C-NOPE' }))).status).toBe(404);
    expect((await t.http('GET', `/cases/${c.id}`)).body).toMatchObject({ assigneeId: c.assigneeId, tier: 'L1' });
  });

  it('keeps the directory to admins and checks it: fields named, superiors real and without cycles', async () => {
    const body = { id: 'new-1', name: 'New One', tier: 'L2', grade: 'maintenance-assistant', region: 'north' };
    expect((await t.http('POST', '/engineers', { body, role: 'manager' })).status).toBe(403);
    expect((await engineer({ ...body, tier: 'L7' })).body.errors[0].field).toBe('tier');
    expect((await engineer({ ...body, grade: 'wizard' })).body.errors[0].field).toBe('grade');
    expect((await engineer({ ...body, superiorId: 'ghost' })).body).toMatchObject({ statusCode: 422, errors: [{ field: 'superiorId' }] });
    expect((await engineer({ ...body, superiorId: 'exp-n' })).status).toBe(201);
    expect((await engineer(body)).status).toBe(422); // the id exists
    const cycle = await t.http('PATCH', '/engineers/exp-n', { token: admin, body: { superiorId: 'new-1' } });
    expect(cycle.body).toMatchObject({ statusCode: 422, errors: [{ field: 'superiorId' }] });
    const moved = await t.http('PATCH', '/engineers/new-1', { token: admin, body: { skills: ['printers'], maxLoad: 3 } });
    expect(moved.body).toMatchObject({ skills: ['printers'], maxLoad: 3, superiorId: 'exp-n' });
    expect((await t.http('GET', '/engineers?skill=PRINTERS')).body.items.map((e: { id: string }) => e.id)).toEqual(['new-1']);
    expect((await t.http('DELETE', '/engineers/new-1', { token: admin })).body.active).toBe(false);
    expect((await t.http('GET', '/engineers/new-1', { role: 'engineer' })).body.active).toBe(false);
    expect((await t.http('GET', '/engineers', { token: await tokenFor('customer', { customerId: 'C-1' }) })).status).toBe(403);
  });
});
