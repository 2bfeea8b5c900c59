import { InProcessBus } from '@aftersales/messaging';
import { caseOpened, deliver, startTestService, TestService, tokenFor, upstreamEvent, waitFor } from '@aftersales/testing';
import { escalationService } from '../src/escalation.service-definition';

const MIN = 60_000;

/** The desk's view of many clocks at once: queue countdowns, the at-risk board and rungs fired today. */
describe('clock board: clocks of many cases and firings since an instant (real PostgreSQL)', () => {
  let t: TestService;
  let manager: string;
  const now = Date.now();
  // a P1 opened 15 min ago (ladder B: breached at 10 min, Manager1 fired), a fresh P1, a P3, and a P1 in another region
  const breached = caseOpened({ severity: 'P1', openedAt: new Date(now - 15 * MIN).toISOString() });
  const fresh = caseOpened({ severity: 'P1', openedAt: new Date(now).toISOString() });
  const calm = caseOpened({ severity: 'P3', openedAt: new Date(now).toISOString() });
  const elsewhere = caseOpened({ severity: 'P1', region: 'south', openedAt: new Date(now - 15 * MIN).toISOString() });

  beforeAll(async () => {
    t = await startTestService(escalationService, { bus: new InProcessBus(), env: { ESCALATION_FIRING_INTERVAL_MS: '50' } });
    manager = await tokenFor('manager', { region: 'north' });
    for (const c of [breached, fresh, calm, elsewhere]) await deliver(t.bus, upstreamEvent('case.opened.v1', c.caseId, c));
  });
  afterAll(() => t.stop());

  it('lists the running clocks of the given cases, soonest planned breach first, only of the token’s region', async () => {
    const ids = [calm, fresh, breached, elsewhere].map((c) => c.caseId).join(',');
    const res = await t.http('GET', `/clocks?caseId=${ids}`, { token: manager });
    expect(res.status).toBe(200);
    const cases = res.body.items.map((k: { caseId: string }) => k.caseId);
    expect(cases).not.toContain(elsewhere.caseId);
    expect(cases.indexOf(breached.caseId)).toBeLessThan(cases.indexOf(fresh.caseId));
    expect(cases.indexOf(fresh.caseId)).toBeLessThan(cases.lastIndexOf(calm.caseId));
    const ladder = res.body.items.find(
      (k: { caseId: string; target: string }) => k.caseId === fresh.caseId && k.target === 'ladder:diagnosis',
    );
    expect(ladder).toMatchObject({ severity: 'P1', state: 'running', region: 'north', pausedSince: null });
    expect(new Date(ladder.dueAt).getTime()).toBe(new Date(fresh.openedAt).getTime() + 10 * MIN);
    expect(res.body.total).toBe(res.body.items.length);
  });

  it('answers the at-risk board: clocks due before an instant', async () => {
    const res = await t.http('GET', `/clocks?dueBefore=${new Date(now + 30 * MIN).toISOString()}`, { token: manager });
    const cases = new Set(res.body.items.map((k: { caseId: string }) => k.caseId));
    expect(cases.has(breached.caseId)).toBe(true);
    expect(cases.has(fresh.caseId)).toBe(true);
    expect(cases.has(calm.caseId)).toBe(false);
  });

  it('lists the rungs fired since an instant in the region, newest first', async () => {
    const since = new Date(now - 60 * MIN).toISOString();
    const fired = await waitFor('Manager1 fired for the breached P1', async () => {
      const res = await t.http('GET', `/firings?since=${since}&kind=rung`, { token: manager });
      return res.body.items?.some((f: { caseId: string }) => f.caseId === breached.caseId) ? res.body : undefined;
    });
    expect(fired.items.every((f: { key: string; region: string }) => f.key.startsWith('rung:') && f.region === 'north')).toBe(true);
    expect(fired.items.find((f: { caseId: string }) => f.caseId === breached.caseId)).toMatchObject({ key: 'rung:0', severity: 'P1' });
    const later = await t.http('GET', `/firings?since=${new Date(now + 60 * MIN).toISOString()}`, { token: manager });
    expect(later.body.items).toEqual([]);
  });

  it('refuses bad input with the field named, and customers', async () => {
    const bad = await t.http('GET', '/clocks?caseId=not-a-uuid', { token: manager });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('caseId');
    const noSince = await t.http('GET', '/firings', { token: manager });
    expect(noSince.status).toBe(400);
    expect(JSON.stringify(noSince.body)).toContain('since');
    const customer = await tokenFor('customer', { customerId: 'C-100' });
    expect((await t.http('GET', '/clocks', { token: customer })).status).toBe(403);
  });
});
