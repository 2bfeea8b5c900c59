import { EventEnvelope } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import {
  deliver,
  eventOf,
  outboxRelayed,
  recordTopic,
  startTestService,
  TestService,
  tokenFor,
  upstreamEvent,
  waitFor,
  waitForHandled,
} from '@aftersales/testing';
import { randomUUID } from 'node:crypto';
import { sparesService } from '../src/spares.service-definition';
import { seedPartsAndHomeDepot } from './seed';

const DAY = 86_400_000;

/**
 * Issue 14's purchase-plan must-show, spares' side: a signed contract (intake's event) gets a plan
 * drafted from its assets' models, announced with a 7-day stock-in deadline for the escalation
 * engine; escalation's `deadline.overdue` (delivered here as escalation would send it) flags a plan
 * not stocked in, and leaves alone one that was.
 */
describe('purchase plans from signed contracts, stocked in within the week (real PostgreSQL, over the bus)', () => {
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  let t: TestService;
  let events: EventEnvelope[];
  let admin: string;
  let manager: string;
  let southManager: string;

  beforeAll(async () => {
    const bus = new InProcessBus({ retryBackoffMs: [10] });
    events = await recordTopic(bus, 'aftersales.spares.events.v1');
    t = await startTestService(sparesService, { bus, clock, env: { SPARES_SWEEP_MS: '0' } });
    [admin, manager, southManager] = await Promise.all([
      tokenFor('admin'),
      tokenFor('manager', { sub: 'mgr-north', region: 'north' }),
      tokenFor('manager', { sub: 'mgr-south', region: 'south' }),
    ]);
    await seedPartsAndHomeDepot(t, admin);
  }, 60_000);
  afterAll(() => t.stop());

  async function signed(contractId: string, models: string[]) {
    const e = upstreamEvent('intake.contract.signed.v1', contractId, {
      contractId,
      customerId: 'C-NB',
      region: 'north',
      coverage: '7x24',
      startsOn: '2026-03-01',
      endsOn: '2028-02-28',
      assets: models.map((model, i) => ({ assetId: `${contractId}-A${i}`, model })),
      signedAt: clock.now().toISOString(),
    });
    await deliver(t.bus, e);
    await deliver(t.bus, e); // redelivered: still one plan
    const page = await t.http('GET', `/purchase-plans?contractId=${contractId}`, { token: manager });
    expect(page.body.total).toBe(1);
    return page.body.items[0];
  }
  const overdue = (planId: string, dueAt: string) =>
    upstreamEvent('escalation.deadline.overdue.v1', planId, {
      deadlineId: randomUUID(),
      kind: 'purchase-plan-stock-in',
      subjectId: planId,
      region: 'north',
      notifyRoles: ['manager'],
      dueAt,
      firedAt: clock.now().toISOString(),
    });

  it('drafts a plan from the contract’s assets’ models and announces it due in 7 days', async () => {
    const plan = await signed('K-NB-1', ['OceanStor 5500', 'OceanStor 5500', 'oceanstor 2200']);
    expect(plan).toMatchObject({
      contractId: 'K-NB-1',
      customerId: 'C-NB',
      region: 'north',
      state: 'drafted',
      overdue: false,
      dueAt: '2026-03-09T09:00:00.000Z',
      lines: [
        { partNumber: 'CTRL-5500', quantity: 2 },
        { partNumber: 'HDD-4T', quantity: 3 },
        { partNumber: 'PSU-750', quantity: 1 },
      ],
      allowed: ['add-lines', 'order', 'stock-in'],
    });
    await outboxRelayed(t);
    const drafted = events.filter((e) => e.type === 'spares.purchase-plan.drafted.v1' && e.subject === plan.id);
    expect(drafted).toHaveLength(1);
    expect(drafted[0]?.data).toEqual({
      planId: plan.id,
      contractId: 'K-NB-1',
      customerId: 'C-NB',
      region: 'north',
      dueAt: '2026-03-09T09:00:00.000Z',
      lines: plan.lines,
    });
  });

  it('flags the plan overdue when escalation reports its deadline passed', async () => {
    const [plan] = (await t.http('GET', '/purchase-plans?contractId=K-NB-1', { token: manager })).body.items;
    clock.set(new Date(Date.parse(plan.dueAt) + 60_000));
    const e = overdue(plan.id, plan.dueAt);
    await deliver(t.bus, e);
    await waitForHandled(t, e.id);
    const after = (await t.http('GET', `/purchase-plans/${plan.id}`, { token: manager })).body;
    expect(after).toMatchObject({ state: 'drafted', overdue: true, overdueAt: clock.now().toISOString() });
    expect((await t.http('GET', '/purchase-plans?overdue=true', { token: manager })).body.items.map((p: { id: string }) => p.id)).toEqual([
      plan.id,
    ]);
    expect((await t.http('GET', '/metrics')).body).toMatch(/aftersales_spares_purchase_plans_overdue_total\{[^}]*region="north"[^}]*\} 1/);
    // late, it may still be ordered and stocked in
    expect(after.allowed).toEqual(['add-lines', 'order', 'stock-in']);
  });

  it('orders a plan (in transit), stocks it in before the deadline, and a late deadline event then changes nothing', async () => {
    clock.set('2026-03-10T09:00:00Z');
    const plan = await signed('K-NB-2', ['OceanStor 2200']);
    expect(plan.lines).toEqual([
      { partNumber: 'HDD-4T', quantity: 1 },
      { partNumber: 'PSU-750', quantity: 1 },
    ]);
    // the south manager does not run the north's plans
    expect((await t.http('POST', `/purchase-plans/${plan.id}/order`, { token: southManager, body: { depotId: 'N-BJ' } })).status).toBe(404);
    const added = await t.http('POST', `/purchase-plans/${plan.id}/lines`, {
      token: manager,
      body: { lines: [{ partNumber: 'HDD-4T', quantity: 2 }] },
    });
    expect(added.body.lines).toEqual([
      { partNumber: 'HDD-4T', quantity: 3 },
      { partNumber: 'PSU-750', quantity: 1 },
    ]);
    const ordered = await t.http('POST', `/purchase-plans/${plan.id}/order`, {
      token: manager,
      body: { depotId: 'N-BJ', expectedAt: '2026-03-14T09:00:00Z' },
    });
    expect(ordered.body).toMatchObject({ state: 'ordered', allowed: ['stock-in'] });
    expect((await t.http('GET', '/depots/N-BJ/stock/PSU-750', { token: manager })).body).toMatchObject({ inTransit: 1, onHand: 0 });
    // while it is on its way, an out-of-stock answer offers its arrival
    const wait = await t.http('POST', '/part-requests', {
      token: await tokenFor('engineer'),
      body: { partNumber: 'PSU-750', quantity: 1 },
    });
    expect(wait.body.nextBest).toEqual({ depotId: 'N-BJ', region: 'north', available: 0, earliestAt: '2026-03-14T09:00:00.000Z' });

    clock.advance(3 * DAY);
    const stocked = await t.http('POST', `/purchase-plans/${plan.id}/stock-in`, { token: manager, body: {} });
    expect(stocked.body).toMatchObject({ state: 'stocked-in', stockedInAt: clock.now().toISOString(), overdue: false, allowed: [] });
    expect((await t.http('GET', '/depots/N-BJ/stock/PSU-750', { token: manager })).body).toMatchObject({ inTransit: 0, onHand: 1 });
    expect((await t.http('GET', '/depots/N-BJ/stock/HDD-4T', { token: manager })).body).toMatchObject({ inTransit: 0, onHand: 3 });
    const announced = await waitFor('stocked in announced', () =>
      events.find((e) => e.type === 'spares.purchase-plan.stocked-in.v1' && e.subject === plan.id),
    );
    expect(announced.data).toEqual({ planId: plan.id, region: 'north', stockedInAt: clock.now().toISOString() });

    clock.advance(5 * DAY);
    const e = overdue(plan.id, plan.dueAt);
    await deliver(t.bus, e);
    await waitForHandled(t, eventOf('escalation.deadline.overdue.v1', { subjectId: plan.id }));
    expect((await t.http('GET', `/purchase-plans/${plan.id}`, { token: manager })).body.overdue).toBe(false);
    const again = await t.http('POST', `/purchase-plans/${plan.id}/stock-in`, { token: manager, body: {} });
    expect(again.status).toBe(409);
    expect(again.body.allowed).toEqual([]);
  });
});
