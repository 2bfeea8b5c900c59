import { EventEnvelope } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
import { selectRows } from '@aftersales/persistence';
import { ManualClock } from '@aftersales/platform';
import { eventOf, recordTopic, startTestService, TestService, tokenFor, waitFor, waitForHandled } from '@aftersales/testing';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the must-show runs the real case and escalation services beside spares
import { caseService } from '@aftersales/service-case';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { escalationService } from '@aftersales/service-escalation';
import { sparesService } from '../src/spares.service-definition';
import { openAssignedCase } from './open-case';

const HOUR = 3_600_000;

/**
 * Issue 14's first must-show, over one in-process bus with the real case and escalation services:
 * a P1 case in the north needs a part only the south depot has → the south manager approves the
 * transfer → picked, shipped by carrier, delivered an hour after the P1's 4-hour need → late event,
 * case work-log entry, the case waiting on parts (its SLA clocks paused with reason `parts`) from
 * the reservation to the delivery → installed, the faulty part returned and repaired back to stock.
 */
describe('a P1 part from another region, late, and its faulty part back to stock (spares, case, escalation; one bus)', () => {
  const clock = new ManualClock('2026-03-02T01:00:00Z');
  let spares: TestService;
  let cs: TestService;
  let esc: TestService;
  let sparesEvents: EventEnvelope[];
  let admin: string;
  let northEngineer: string;
  let northManager: string;
  let southEngineer: string;
  let southManager: string;
  let caseId: string;
  let requestId: string;
  let returnId: string;

  beforeAll(async () => {
    const bus = new InProcessBus({ retryBackoffMs: [10] });
    sparesEvents = await recordTopic(bus, 'aftersales.spares.events.v1');
    [spares, cs, esc] = await Promise.all([
      startTestService(sparesService, { bus, clock, env: { SPARES_SWEEP_MS: '0' } }),
      startTestService(caseService, { bus, clock, env: { CASE_ASSIGN_RETRY_MS: '0' } }),
      startTestService(escalationService, { bus, clock, env: { ESCALATION_FIRING_INTERVAL_MS: '50' } }),
    ]);
    [admin, northEngineer, northManager, southEngineer, southManager] = await Promise.all([
      tokenFor('admin', { sub: 'admin-1', global: true }),
      tokenFor('engineer', { sub: 'exp-wang', region: 'north' }),
      tokenFor('manager', { sub: 'mgr-north', region: 'north' }),
      tokenFor('engineer', { sub: 'wh-chen', region: 'south' }),
      tokenFor('manager', { sub: 'mgr-south', region: 'south' }),
    ]);
    const ok = async (svc: TestService, path: string, token: string, body: unknown, status = 201) => {
      const res = await svc.http('POST', path, { token, body });
      expect({ path, status: res.status, body: res.body }).toMatchObject({ path, status });
      return res.body;
    };
    await ok(cs, '/engineers', admin, {
      id: 'exp-wang',
      name: 'Wang Expert',
      tier: 'L3',
      grade: 'technical-expert',
      senior: true,
      region: 'north',
      skills: ['storage'],
    });
    await ok(spares, '/parts', admin, {
      partNumber: 'CTRL-5500',
      description: 'OceanStor 5500 controller board',
      partClass: 'controller',
      compatibleModels: ['OceanStor 5500'],
      unitCost: '1800.00',
      contractPrice: '2500.00',
      mustReturn: true,
      doaDays: 7,
    });
    await ok(spares, '/depots', admin, { id: 'N-BJ', name: 'Beijing home-city depot', region: 'north', city: 'Beijing', home: true });
    await ok(spares, '/depots', admin, { id: 'S-GZ', name: 'Guangzhou depot', region: 'south', city: 'Guangzhou', home: true });
    await ok(spares, '/depots/S-GZ/stock-in', admin, { partNumber: 'CTRL-5500', quantity: 2, reason: 'initial stock' });
  }, 90_000);

  afterAll(async () => {
    for (const s of [spares, cs, esc]) await s?.service.runtime.relay.drain().catch(() => undefined);
    for (const s of [spares, cs, esc]) await s?.stop();
  });

  const caseStatus = async () => (await cs.http('GET', `/cases/${caseId}`, { token: admin })).body.status;
  const stockAt = async (depot: string) => (await spares.http('GET', `/depots/${depot}/stock/CTRL-5500`, { token: admin })).body;
  /** The pauses of the case's SLA clocks, as escalation keeps them (its timeline shows only whether a clock is paused now). */
  const clockPauses = () =>
    selectRows<{ target: string; reason: string; from: Date; to: Date | null }>(
      esc.service.runtime.dataSource,
      `SELECT k.target, p.reason, p.from_at AS "from", p.to_at AS "to"
         FROM "${esc.schema}".clock_pauses p JOIN "${esc.schema}".sla_clocks k ON k.id = p.clock_id
        WHERE k.case_id = $1 ORDER BY k.target`,
      [caseId],
    );
  const caseHandled = (type: string) => waitForHandled(cs, eventOf(type, { requestId }));

  it('opens a P1 case in the north, owned by the senior expert and worked on site, known to spares', async () => {
    const c = await openAssignedCase(cs, cs.bus, admin, {
      severity: 'P1',
      productLine: 'storage',
      productModel: 'OceanStor 5500',
      serialNumber: 'SN-NB-1',
      receivedAt: clock.now().toISOString(),
    });
    caseId = c.id;
    expect(c).toMatchObject({ severity: 'P1', assigneeId: 'exp-wang', region: 'north' });
    expect((await cs.http('POST', `/cases/${caseId}/transitions`, { token: northEngineer, body: { to: 'on-site' } })).status).toBe(200);
    await waitFor(
      'spares to know the case',
      async () => (await spares.http('GET', `/cases/${caseId}`, { token: northEngineer })).status === 200,
    );
    await waitFor('the ladder clock', async () => (await esc.http('GET', `/cases/${caseId}/timeline`, { token: admin })).status === 200);
  });

  it('holds the part at the south depot, awaiting the south manager, with needed-by from the P1 severity', async () => {
    expect((await stockAt('N-BJ')).statusCode).toBe(404); // the north never had it
    const res = await spares.http('POST', '/part-requests', {
      token: northEngineer,
      body: { caseId, partNumber: 'CTRL-5500', quantity: 1, siteId: 'S-NB-DC' },
      headers: { 'Idempotency-Key': 'p1-ctrl-1' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      caseId,
      region: 'north',
      severity: 'P1',
      state: 'awaiting-approval',
      allowed: ['approve', 'reject', 'cancel'],
      depotId: 'S-GZ',
      depotRegion: 'south',
      crossRegion: true,
      neededBy: new Date(clock.now().getTime() + 4 * HOUR).toISOString(),
    });
    requestId = res.body.id;
    // a retry with the same key is the same request, not a second hold
    const again = await spares.http('POST', '/part-requests', {
      token: northEngineer,
      body: { caseId, partNumber: 'CTRL-5500', quantity: 1, siteId: 'S-NB-DC' },
      headers: { 'Idempotency-Key': 'p1-ctrl-1' },
    });
    expect(again.body.id).toBe(requestId);
    expect(await stockAt('S-GZ')).toMatchObject({ onHand: 2, reserved: 1, available: 1 });
    // held, not reserved: the case does not wait yet
    expect(await caseStatus()).toBe('on-site');
  });

  it('lets only the south region’s manager approve; the case then waits on parts and its SLA clocks pause with reason parts', async () => {
    const north = await spares.http('POST', `/part-requests/${requestId}/approve`, { token: northManager, body: {} });
    expect(north.status).toBe(403);
    expect((await spares.http('POST', `/part-requests/${requestId}/pick`, { token: southEngineer })).status).toBe(409);

    clock.advance(10 * 60_000);
    const approved = await spares.http('POST', `/part-requests/${requestId}/approve`, {
      token: southManager,
      body: { reason: 'north has none' },
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'reserved', decidedBy: 'mgr-south', allowed: ['pick', 'cancel'] });

    await caseHandled('spares.part.reserved.v1');
    expect(await caseStatus()).toBe('waiting-parts');
    const pauses = await waitFor('the clocks paused for parts', async () => {
      const p = await clockPauses();
      return p.length > 0 && p.every((x) => x.reason === 'parts' && !x.to) && p;
    });
    for (const p of pauses) expect(p.from.toISOString()).toBe(clock.now().toISOString());
  });

  it('is picked and shipped by carrier from the south, and delivered an hour late: late event, work-log entry, the case back on site', async () => {
    expect((await spares.http('POST', `/part-requests/${requestId}/pick`, { token: southEngineer })).body.state).toBe('picked');
    const shipped = await spares.http('POST', `/part-requests/${requestId}/ship`, {
      token: southEngineer,
      body: { carrier: 'SF Express', trackingNumber: 'SF1234567890' },
    });
    expect(shipped.body).toMatchObject({ state: 'shipped', carrier: 'SF Express', trackingNumber: 'SF1234567890' });
    expect(await stockAt('S-GZ')).toMatchObject({ onHand: 1, reserved: 0, available: 1 });

    clock.set(new Date(Date.parse('2026-03-02T01:00:00Z') + 5 * HOUR)); // needed by 05:00, here at 06:00
    const delivered = await spares.http('POST', `/part-requests/${requestId}/deliver`, { token: northEngineer });
    expect(delivered.body).toMatchObject({ state: 'delivered', late: true, deliveredAt: '2026-03-02T06:00:00.000Z' });

    await caseHandled('spares.delivery.late.v1');
    await caseHandled('spares.part.delivered.v1');
    expect(await caseStatus()).toBe('on-site');
    const log = (await cs.http('GET', `/cases/${caseId}/worklog?limit=200`, { token: admin })).body.items as Array<{
      text: string;
      actor: unknown;
      actorSubject?: string;
      public: boolean;
    }>;
    const late = log.find((e) => e.text.startsWith('part delivered late'));
    expect(late?.text).toContain('60 min after it was needed (2026-03-02T05:00:00.000Z)');
    expect(late?.public).toBe(false);
    expect(log.map((e) => e.text)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^status on-site → waiting-parts: waiting for 1 × CTRL-5500 from depot S-GZ \(south\)/),
        expect.stringMatching(/^status waiting-parts → on-site: part delivered/),
      ]),
    );
    // every running clock paused from the reservation (01:10) to the delivery (06:00), with reason parts
    const pauses = await waitFor('the parts pauses closed at delivery', async () => {
      const p = await clockPauses();
      return p.length > 0 && p.every((x) => x.to) && p;
    });
    expect(new Set(pauses.map((p) => `${p.reason} ${p.from.toISOString()} → ${p.to!.toISOString()}`))).toEqual(
      new Set(['parts 2026-03-02T01:10:00.000Z → 2026-03-02T06:00:00.000Z']),
    );
  });

  it('is installed; the faulty part comes back to the south depot and is repaired back to stock, who and why recorded', async () => {
    expect((await spares.http('POST', `/part-requests/${requestId}/install`, { token: northEngineer })).body.state).toBe('installed');
    const owed = await spares.http('GET', `/returns?requestId=${requestId}`, { token: southEngineer });
    expect(owed.body.items).toEqual([
      expect.objectContaining({
        caseId,
        depotId: 'S-GZ',
        partNumber: 'CTRL-5500',
        doa: false,
        state: 'expected',
        dueAt: '2026-03-12T06:00:00.000Z',
        overdue: false,
      }),
    ]);
    returnId = owed.body.items[0].id;

    clock.advance(3 * 24 * HOUR);
    const received = await spares.http('POST', `/returns/${returnId}/receive`, {
      token: southEngineer,
      body: { condition: 'burnt capacitor near the PCIe slot' },
    });
    expect(received.body).toMatchObject({ state: 'received', receivedBy: 'wh-chen' });
    expect(await stockAt('S-GZ')).toMatchObject({ onHand: 1, defective: 1 });
    const repaired = await spares.http('POST', `/returns/${returnId}/disposition`, {
      token: southManager,
      body: { outcome: 'repaired', reason: 'capacitor replaced, board passes the burn-in test' },
    });
    expect(repaired.body).toMatchObject({
      state: 'repaired',
      decidedBy: 'mgr-south',
      decisionReason: 'capacitor replaced, board passes the burn-in test',
    });
    expect(await stockAt('S-GZ')).toMatchObject({ onHand: 2, reserved: 0, inTransit: 0, defective: 0, available: 2 });
  });

  it('announced every step on aftersales.spares.events.v1, keyed by the case id, in order; delivery counted late', async () => {
    const types = [
      'spares.transfer.requested.v1',
      'spares.part.reserved.v1',
      'spares.part.picked.v1',
      'spares.part.shipped.v1',
      'spares.part.delivered.v1',
      'spares.delivery.late.v1',
      'spares.part.installed.v1',
      'spares.return.expected.v1',
      'spares.return.received.v1',
      'spares.return.disposed.v1',
    ];
    const mine = await waitFor('every step announced', () => {
      const seen = sparesEvents.filter((e) => e.subject === caseId);
      return seen.length >= types.length && seen;
    });
    expect(mine.map((e) => e.type)).toEqual(types);
    expect(mine.find((e) => e.type === 'spares.part.shipped.v1')!.data).toMatchObject({
      carrier: 'SF Express',
      trackingNumber: 'SF1234567890',
      actor: { subject: 'wh-chen' },
    });
    expect(mine.find((e) => e.type === 'spares.delivery.late.v1')!.data).toMatchObject({
      lateMinutes: 60,
      neededBy: '2026-03-02T05:00:00.000Z',
    });
    expect(mine.find((e) => e.type === 'spares.return.disposed.v1')!.data).toMatchObject({
      outcome: 'repaired',
      actor: { subject: 'mgr-south', role: 'manager' },
    });
    const metrics = (await spares.http('GET', '/metrics')).body as string;
    expect(metrics).toMatch(
      /aftersales_spares_deliveries_total\{[^}]*depot="S-GZ"[^}]*part_class="controller"[^}]*timeliness="late"[^}]*\} 1/,
    );
    expect(metrics).toMatch(
      /aftersales_spares_deliveries_total\{[^}]*depot="S-GZ"[^}]*part_class="controller"[^}]*timeliness="on-time"[^}]*\} 0/,
    );
  });
});
