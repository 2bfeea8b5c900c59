import { EventEnvelope } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import { recordTopic, startTestService, TestService, tokenFor, waitFor } from '@aftersales/testing';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the must-show runs the real case and spares services beside intake
import { caseService } from '@aftersales/service-case';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { sparesService } from '@aftersales/service-spares';
import { intakeService } from '../src/intake.service-definition';
import { MaintenanceScheduler } from '../src/maintenance';
import { seedRegistry } from './requests.seed';

/**
 * Issue 15, after the warranty (seed 004), over one bus with the real case and spares services: a
 * request for an asset with neither warranty nor agreement is taken and marked chargeable; its
 * repair is quoted at 12 % of the part's contract price, accepted and repaired — or declined, and
 * the case closes with the reason. A maintenance agreement covers an asset (no overlap, ends after
 * it starts) and its renewal is announced 60, 30 and 7 days before the end, once each.
 */
describe('paid repairs, chargeable requests and maintenance agreements (intake, case, spares; one bus)', () => {
  const clock = new ManualClock('2026-03-02T02:00:00Z');
  let intake: TestService;
  let intake2: TestService;
  let cs: TestService;
  let spares: TestService;
  let intakeEvents: EventEnvelope[];
  let agent: string;
  let engineer: string;
  let manager: string;
  let admin: string;
  let customer: string;

  beforeAll(async () => {
    const bus = new InProcessBus({ retryBackoffMs: [10] });
    intakeEvents = await recordTopic(bus, 'aftersales.intake.requests.v1');
    const off = { INTAKE_HANDOFF_SWEEP_MS: '0', INTAKE_MAINTENANCE_TICK_MS: '0' };
    [intake, cs, spares] = await Promise.all([
      startTestService(intakeService, { bus, clock, env: off }),
      startTestService(caseService, { bus, clock, env: { CASE_ASSIGN_RETRY_MS: '0' } }),
      startTestService(sparesService, { bus, clock, env: { SPARES_SWEEP_MS: '0' } }),
    ]);
    // a second intake replica on the same schema: reminders must still go out once
    intake2 = await startTestService(intakeService, { bus: new InProcessBus(), clock, env: off, schema: intake.schema });
    [agent, engineer, manager, admin, customer] = await Promise.all([
      tokenFor('agent', { sub: 'agent-li' }),
      tokenFor('engineer', { sub: 'hl-zhou' }),
      tokenFor('manager', { sub: 'mgr-north' }),
      tokenFor('admin', { sub: 'admin-1' }),
      tokenFor('customer', { customerId: 'C-OLD', sub: 'contact-sun' }),
    ]);
    await seedRegistry(intake.service.runtime.dataSource, {
      customers: [{ id: 'C-OLD', name: 'Old Mill' }],
      sites: [{ id: 'S-OLD', customerId: 'C-OLD', city: 'Tianjin', address: '1 Mill Road, Tianjin' }],
      contacts: [
        { id: 'K-SUN', customerId: 'C-OLD', siteId: 'S-OLD', name: 'Sun Li', phone: '+86 22 5555-0101', email: 'sun@mill.example' },
      ],
      // the sales contract ended last year; its warranty with it
      contracts: [{ id: 'K-OLD', customerId: 'C-OLD', coverage: '7x24', startsOn: '2024-01-01', endsOn: '2025-12-31' }],
      assets: ['A-OLD-1', 'A-OLD-2', 'A-OLD-3'].map((id, i) => ({
        id,
        customerId: 'C-OLD',
        siteId: 'S-OLD',
        contractId: 'K-OLD',
        model: 'X1 workstation',
        productLine: 'pc',
        serialNumber: `SN-OLD-${i + 1}`,
        warrantyEndsOn: '2025-06-30',
      })),
    });
    for (const [svc, path, body] of [
      [
        cs,
        '/engineers',
        { id: 'hl-zhou', name: 'Zhou Hotline', tier: 'L1', grade: 'maintenance-engineer', region: 'north', skills: ['pc'] },
      ],
      [
        spares,
        '/parts',
        {
          partNumber: 'MB-X1',
          description: 'X1 mainboard',
          partClass: 'board',
          unitCost: '1800',
          contractPrice: '2500.00',
          mustReturn: false,
        },
      ],
    ] as const) {
      const res = await svc.http('POST', path, { token: admin, body });
      expect({ path, status: res.status }).toEqual({ path, status: 201 });
    }
  }, 90_000);

  afterAll(async () => {
    for (const s of [intake, cs, spares]) await s?.service.runtime.relay.drain().catch(() => undefined);
    await intake2?.stop();
    for (const s of [intake, cs, spares]) await s?.stop();
  });

  /** Files a hardware fault for the serial and waits for the case, assigned, known to spares. */
  async function fileFault(serial: string) {
    const filed = await intake.http('POST', '/requests', {
      token: agent,
      body: {
        channel: 'phone',
        contactId: 'K-SUN',
        serialNumber: serial,
        impact: 'partial-fault',
        faultKind: 'hardware',
        symptom: 'no display',
      },
    });
    expect(filed.status).toBe(201);
    const c = await waitFor('the case, assigned', async () => {
      const r = await cs.http('GET', `/cases?requestId=${filed.body.id}`, { token: admin });
      return r.body.items?.[0]?.status === 'assigned' ? r.body.items[0] : undefined;
    });
    await waitFor('spares to know the case', async () => (await spares.http('GET', `/cases/${c.id}`, { token: engineer })).status === 200);
    return { request: filed.body, caseId: c.id as string };
  }

  async function quoted(caseId: string, serial: string) {
    const post = (path: string, body?: unknown, token = engineer) => spares.http('POST', path, { token, body });
    const order = await post('/repair-orders', {
      channel: 'carry-in',
      caseId,
      serialNumber: serial,
      condition: 'no display, case scratched',
    });
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ inWarranty: false, allowed: ['diagnose'] });
    await post(`/repair-orders/${order.body.id}/diagnose`, { fault: 'mainboard dead', partNumber: 'MB-X1' });
    const q = await post(`/repair-orders/${order.body.id}/quote`);
    expect(q.body).toMatchObject({ state: 'quoted', quotePercent: '12.00', quoteAmount: '300.00', allowed: ['accept', 'decline'] });
    return { id: order.body.id as string, post };
  }

  const worklog = async (caseId: string) =>
    ((await cs.http('GET', `/cases/${caseId}/worklog?limit=200`, { token: admin })).body.items as Array<{ text: string }>).map(
      (e) => e.text,
    );

  it('takes a request for an asset with neither warranty nor agreement, marked chargeable at the desk and on the request', async () => {
    const desk = await intake.http('GET', '/desk/lookup?serial=SN-OLD-1', { token: agent });
    expect(desk.body.matches[0].assets[0]).toMatchObject({ warranty: 'expired', chargeable: true, agreement: null });
    const { request } = await fileFault('SN-OLD-1');
    expect(request).toMatchObject({ warranty: 'expired', chargeable: true, serviceMode: 'paid' });
    expect((await intake.http('GET', `/requests/${request.id}`, { token: agent })).body.chargeable).toBe(true);
  }, 60_000);

  it('quotes an out-of-warranty repair at 12 %, and once accepted it is repaired', async () => {
    const { caseId } = await fileFault('SN-OLD-2');
    const { id, post } = await quoted(caseId, 'SN-OLD-2');
    expect((await post(`/repair-orders/${id}/accept`, undefined, customer)).body.state).toBe('accepted');
    expect((await post(`/repair-orders/${id}/repair`, { notes: 'mainboard replaced' })).body.state).toBe('repaired');
    await waitFor('the case log to show the paid repair', async () => (await worklog(caseId)).some((t) => t === 'the unit is repaired'));
    const log = await worklog(caseId);
    expect(log).toEqual(
      expect.arrayContaining([
        'repair quote 300.00 sent to the customer (out of warranty, no maintenance agreement)',
        'the customer accepted the repair quote 300.00: repair goes ahead',
      ]),
    );
    expect((await cs.http('GET', `/cases/${caseId}`, { token: admin })).body.status).toBe('assigned');
  }, 60_000);

  it('a declined quote closes the case with its reason', async () => {
    const { caseId } = await fileFault('SN-OLD-3');
    const { id, post } = await quoted(caseId, 'SN-OLD-3');
    const declined = await post(`/repair-orders/${id}/decline`, { reason: 'cheaper to buy a new workstation' }, customer);
    expect(declined.body).toMatchObject({ state: 'declined', allowed: ['ship-back'] });
    const closed = await waitFor('the case, closed', async () => {
      const c = (await cs.http('GET', `/cases/${caseId}`, { token: admin })).body;
      return c.status === 'closed' ? c : undefined;
    });
    expect(closed.closedAt).toBeTruthy();
    const history = (await cs.http('GET', `/cases/${caseId}/history`, { token: admin })).body.items;
    expect(history.at(-1)).toMatchObject({
      from: 'assigned',
      to: 'closed',
      reason: 'repair quote declined: cheaper to buy a new workstation',
      actor: { subject: 'system:case', role: 'system' },
    });
  }, 60_000);

  describe('maintenance agreements', () => {
    let agreementId: string;
    const create = (body: Record<string, unknown>, token = manager, headers?: Record<string, string>) =>
      intake.http('POST', '/agreements', { token, body, headers });
    const valid = {
      customerId: 'C-OLD',
      contractId: 'K-OLD',
      assetIds: ['A-OLD-1'],
      coverage: 'business-hours',
      price: '12000.00',
      startsOn: '2026-03-01',
      endsOn: '2027-02-28',
    };

    it('refuses bad agreements by field, storing nothing', async () => {
      const cases: Array<[Record<string, unknown>, number, string]> = [
        [{ ...valid, endsOn: '2026-02-28' }, 400, 'endsOn'],
        [{ ...valid, endsOn: '2026-03-01' }, 400, 'endsOn'],
        [{ ...valid, endsOn: '2026-02-30' }, 400, 'endsOn'],
        [{ ...valid, price: '-5' }, 400, 'price'],
        [{ ...valid, coverage: 'sometimes' }, 400, 'coverage'],
        [{ ...valid, assetIds: [] }, 400, 'assetIds'],
        [{ ...valid, assetIds: ['A-NOPE'] }, 422, 'assetIds'],
        [{ ...valid, calendarId: 'CAL-NOPE' }, 422, 'calendarId'],
        [{ ...valid, customerId: 'C-NOPE' }, 422, 'customerId'],
      ];
      for (const [body, status, field] of cases) {
        const r = await create(body);
        expect({ field, status: r.status }).toEqual({ field, status });
        expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      expect((await create(valid, agent)).status).toBe(403);
      expect((await intake.http('GET', '/agreements', { token: admin })).body.total).toBe(0);
    });

    it('records one with its renewal reminders, and refuses an overlapping one on the same asset', async () => {
      const r = await create(valid, manager, { 'Idempotency-Key': 'agr-1' });
      expect(r.status).toBe(201);
      agreementId = r.body.id;
      expect(r.body).toMatchObject({ region: 'north', currency: 'CNY', assetIds: ['A-OLD-1'] });
      // 09:00 in Asia/Shanghai (the default zone) 60, 30 and 7 days before 2027-02-28
      expect(r.body.reminders).toEqual([
        { daysBefore: 60, dueAt: '2026-12-30T01:00:00.000Z', sentAt: null },
        { daysBefore: 30, dueAt: '2027-01-29T01:00:00.000Z', sentAt: null },
        { daysBefore: 7, dueAt: '2027-02-21T01:00:00.000Z', sentAt: null },
      ]);
      expect((await create(valid, manager, { 'Idempotency-Key': 'agr-1' })).body.id).toBe(agreementId);
      const clash = await create({ ...valid, startsOn: '2027-02-28', endsOn: '2028-02-28' });
      expect(clash.status).toBe(409);
      expect(clash.body.errors[0]).toMatchObject({ field: 'assetIds', reason: expect.stringContaining(agreementId) });
      // the day after is free
      expect((await create({ ...valid, startsOn: '2027-03-01', endsOn: '2028-02-29' })).status).toBe(201);
      expect((await intake.http('GET', '/agreements?assetId=A-OLD-1', { token: customer })).body.total).toBe(2);
    });

    it('covers the asset at the desk and at intake: no longer chargeable, the agreement’s terms on the request', async () => {
      const asset = (await intake.http('GET', '/desk/lookup?serial=SN-OLD-1', { token: agent })).body.matches[0].assets[0];
      expect(asset).toMatchObject({ warranty: 'under-contract', chargeable: false, agreement: { id: agreementId } });
      const filed = await intake.http('POST', '/requests', {
        token: agent,
        body: {
          channel: 'phone',
          contactId: 'K-SUN',
          serialNumber: 'SN-OLD-1',
          impact: 'question',
          symptom: 'how to reset BIOS',
          allowDuplicate: true,
          duplicateOverrideReason: 'another question',
        },
      });
      expect(filed.body).toMatchObject({
        warranty: 'under-contract',
        chargeable: false,
        contract: { contractId: 'K-OLD', coverage: 'business-hours' },
      });
    });

    it('announces the renewal 60, 30 and 7 days before the end, each once with two replicas ticking', async () => {
      const renewals = () => intakeEvents.filter((e) => e.type === 'intake.agreement.renewal-due.v1' && e.subject === agreementId);
      clock.set('2026-12-30T00:59:00Z');
      await Promise.all([intake.service.app.get(MaintenanceScheduler).sweep(), intake2.service.app.get(MaintenanceScheduler).sweep()]);
      expect(renewals()).toHaveLength(0);
      clock.set('2026-12-30T01:00:00Z');
      const ticks = await Promise.all([
        intake.service.app.get(MaintenanceScheduler).sweep(),
        intake2.service.app.get(MaintenanceScheduler).sweep(),
      ]);
      expect(ticks.reduce((a, t) => a + t.reminders, 0)).toBe(1);
      await waitFor('the 60-day reminder', () => renewals().length === 1);
      expect(renewals()[0]?.data).toMatchObject({
        customerId: 'C-OLD',
        endsOn: '2027-02-28',
        daysBefore: 60,
        assetIds: ['A-OLD-1'],
        recipients: [{ name: 'Sun Li', email: 'sun@mill.example', address: '1 Mill Road, Tianjin' }],
        notifyRoles: ['service-delivery-manager'],
      });
      clock.set('2027-02-21T02:00:00Z'); // past both the 30- and the 7-day reminders
      await Promise.all([intake.service.app.get(MaintenanceScheduler).sweep(), intake2.service.app.get(MaintenanceScheduler).sweep()]);
      await waitFor('the 30- and 7-day reminders', () => renewals().length === 3);
      expect(renewals().map((e) => (e.data as { daysBefore: number }).daysBefore)).toEqual([60, 30, 7]);
    });
  });
});
