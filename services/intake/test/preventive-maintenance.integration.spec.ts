import { EventEnvelope } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import { startTestService, TestService, tokenFor, waitFor } from '@aftersales/testing';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the must-show steps escalation's deadline worker
import { DeadlineWorker } from '@aftersales/service-escalation';
import { intakeService } from '../src/intake.service-definition';
import { MaintenanceScheduler } from '../src/maintenance';
import { INTAKE_LOOPS_OFF, IntakeStack, startIntakeStack } from './intake-stack';
import { seedRegistry } from './requests.seed';

const HOUR = 3_600_000;
const weekdays = Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ start: '09:00', end: '18:00' }]]));

/**
 * Issue 15's preventive-maintenance must-show, with two intake replicas ticking on one clock and
 * the real case and escalation services: a contract with quarterly inspections opens four
 * inspection work orders in a year on its business calendar (New Year and National Day skipped),
 * each announced to the customer 14 days ahead; results, a finding and the signed report complete
 * the first three; the fourth, left undone, fires escalation's inspection deadline once.
 */
describe('preventive maintenance: quarterly inspections on the contract calendar (2 intake replicas, case, escalation)', () => {
  const clock = new ManualClock('2025-12-01T00:00:00Z');
  let stack: IntakeStack;
  let intake2: TestService;
  let manager: string;
  let engineer: string;
  let customer: string;
  let admin: string;

  beforeAll(async () => {
    stack = await startIntakeStack(clock);
    // a second replica on the same schema (its own bus: a consumer group is unique per bus); the
    // first holds the relay's lock, so what either writes to the outbox reaches the shared bus
    intake2 = await startTestService(intakeService, { bus: new InProcessBus(), clock, env: INTAKE_LOOPS_OFF, schema: stack.intake.schema });
    [manager, engineer, customer, admin] = await Promise.all([
      tokenFor('manager', { sub: 'mgr-north' }),
      tokenFor('engineer', { sub: 'fe-liu' }),
      tokenFor('customer', { customerId: 'C-NB', sub: 'contact-wang' }),
      tokenFor('admin', { sub: 'admin-1' }),
    ]);
    const cal = await stack.intake.http('POST', '/calendars', {
      token: admin,
      body: {
        id: 'CAL-BJ',
        timeZone: 'Asia/Shanghai',
        kind: 'business-hours',
        weekly: weekdays,
        holidays: [
          { date: '2026-01-01', name: '元旦' },
          { from: '2026-10-01', to: '2026-10-07', name: '国庆' },
        ],
      },
    });
    expect(cal.status).toBe(201);
    await seedRegistry(stack.intake.service.runtime.dataSource, {
      customers: [{ id: 'C-NB', name: 'North Bank' }],
      sites: [{ id: 'S-NB-DC', customerId: 'C-NB', name: 'Data centre', city: 'Beijing', address: '8 Finance St, Beijing' }],
      contacts: [
        { id: 'K-WANG', customerId: 'C-NB', siteId: 'S-NB-DC', name: 'Wang Fang', email: 'wang@bank.example', phone: '+86 10 5555-0100' },
      ],
      contracts: [
        { id: 'K-NB', customerId: 'C-NB', coverage: 'business-hours', calendarId: 'CAL-BJ', startsOn: '2026-01-01', endsOn: '2026-12-31' },
      ],
      assets: ['A-1', 'A-2'].map((id, i) => ({
        id,
        customerId: 'C-NB',
        siteId: 'S-NB-DC',
        contractId: 'K-NB',
        model: 'OceanStor 5500',
        productLine: 'storage',
        serialNumber: `SN-NB-${i + 1}`,
      })),
    });
  }, 90_000);

  afterAll(async () => {
    await stack?.stop([intake2]);
  });

  const ticks = () => Promise.all([stack.intake, intake2].map((t) => t.service.app.get(MaintenanceScheduler).sweep()));
  const of = (type: string) => stack.intakeEvents.filter((e) => e.type === type);

  it('refuses plans with zero or absurd frequencies, lead or completion times, storing nothing', async () => {
    const bad: Array<[Record<string, unknown>, string, number]> = [
      [{ kind: 'inspection', everyMonths: 0 }, 'everyMonths', 400],
      [{ kind: 'inspection', everyMonths: 120 }, 'everyMonths', 400],
      [{ kind: 'inspection', everyMonths: 2.5 }, 'everyMonths', 400],
      [{ kind: 'inspection', everyMonths: 3, leadDays: -1 }, 'leadDays', 400],
      [{ kind: 'inspection', everyMonths: 3, leadDays: 365 }, 'leadDays', 400],
      [{ kind: 'inspection', everyMonths: 3, completeWithinDays: 0 }, 'completeWithinDays', 400],
      [{ kind: 'inspection', everyMonths: 3, announceBy: 'pigeon' }, 'announceBy', 400],
      [{ kind: 'survey', everyMonths: 3 }, 'kind', 400],
      [{ kind: 'maintenance-record', everyMonths: 3 }, 'everyMonths', 400],
      [{ kind: 'inspection', everyMonths: 3, startsOn: '2026-06-01', endsOn: '2026-01-01' }, 'endsOn', 400],
      [{ kind: 'inspection', everyMonths: 3, siteId: 'S-NOPE' }, 'siteId', 422],
    ];
    for (const [body, field, status] of bad) {
      const r = await stack.intake.http('POST', '/contracts/K-NB/maintenance-plans', { token: manager, body });
      expect({ field, status: r.status }).toEqual({ field, status });
      expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(
      (
        await stack.intake.http('POST', '/contracts/K-NOPE/maintenance-plans', {
          token: manager,
          body: { kind: 'inspection', everyMonths: 3 },
        })
      ).status,
    ).toBe(404);
    expect((await stack.intake.http('GET', '/contracts/K-NB/maintenance-plans', { token: manager })).body.items).toEqual([]);
  });

  it('plans quarterly inspections from the model checklist, the first one on the first working day of the year', async () => {
    const list = await stack.intake.http('PUT', '/inspection-checklists/OceanStor%205500', {
      token: manager,
      body: {
        items: [
          { itemId: 'fans', text: 'fans and airflow' },
          { itemId: 'disks', text: 'disk health (SMART, rebuilds)' },
        ],
      },
    });
    expect(list.status).toBe(200);
    const plan = await stack.intake.http('POST', '/contracts/K-NB/maintenance-plans', {
      token: manager,
      body: { kind: 'inspection', everyMonths: 3, leadDays: 14, announceBy: 'letter', completeWithinDays: 10 },
    });
    expect(plan.status).toBe(201);
    expect(plan.body).toMatchObject({
      kind: 'inspection',
      everyMonths: 3,
      leadDays: 14,
      announceBy: 'letter',
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
    });
    expect(plan.body.next).toEqual([
      expect.objectContaining({
        seq: 0,
        siteKey: 'S-NB-DC',
        scheduledFor: '2026-01-02T01:00:00.000Z',
        announceAt: '2025-12-19T01:00:00.000Z',
      }),
    ]);
    // and a monthly maintenance record, made when each local month ends
    const records = await stack.intake.http('POST', '/contracts/K-NB/maintenance-plans', {
      token: manager,
      body: { kind: 'maintenance-record', everyMonths: 1 },
    });
    expect(records.body.next).toEqual([
      expect.objectContaining({ month: '2026-01', scheduledFor: '2026-01-31T16:00:00.000Z', announceAt: null }),
    ]);
  });

  it('opens four work orders in the year, each announced 14 days ahead, each once with two replicas ticking', async () => {
    const end = new Date('2027-01-10T00:00:00Z').getTime();
    let done = 0;
    while (clock.now().getTime() < end) {
      clock.advance(12 * HOUR);
      const r = await ticks();
      done += r.reduce((a, x) => a + x.opened, 0);
    }
    expect(done).toBe(4 + 12); // four inspections, twelve monthly records
    await waitFor('four work orders and twelve monthly records in the case service', async () => {
      const r = await stack.cs.http('GET', '/inspections?limit=10', { token: admin });
      const m = await stack.cs.http('GET', '/maintenance-records?contractId=K-NB', { token: admin });
      return r.body.total === 4 && m.body.total === 12;
    });
    expect(of('intake.maintenance-record.due.v1').map((e) => (e.data as { month: string }).month)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`),
    );
    const announced = of('intake.maintenance.announced.v1');
    const due = of('intake.inspection.due.v1');
    expect(announced).toHaveLength(4);
    expect(due).toHaveLength(4);
    const when = (e: EventEnvelope | undefined) => (e?.data as { scheduledFor: string } | undefined)?.scheduledFor;
    expect(due.map(when)).toEqual([
      '2026-01-02T01:00:00.000Z', // 1 January is a holiday
      '2026-04-01T01:00:00.000Z',
      '2026-07-01T01:00:00.000Z',
      '2026-10-08T01:00:00.000Z', // after the National Day week
    ]);
    for (const [i, a] of announced.entries()) {
      const data = a.data as { scheduledFor: string; announcedAt: string; channel: string; recipients: unknown[] };
      expect(data.scheduledFor).toBe(when(due[i]));
      expect(data).toMatchObject({ channel: 'letter', recipients: [{ name: 'Wang Fang', address: '8 Finance St, Beijing' }] });
      const ahead = Date.parse(data.scheduledFor) - Date.parse(data.announcedAt);
      expect(ahead).toBeGreaterThanOrEqual(14 * 24 * HOUR - 12 * HOUR); // the first tick after the lead time began
      expect(ahead).toBeLessThanOrEqual(14 * 24 * HOUR);
    }
    expect((due[0]?.data as { checklist: unknown[] }).checklist).toEqual([
      { itemId: 'A-1:fans', assetId: 'A-1', model: 'OceanStor 5500', text: 'fans and airflow' },
      { itemId: 'A-1:disks', assetId: 'A-1', model: 'OceanStor 5500', text: 'disk health (SMART, rebuilds)' },
      { itemId: 'A-2:fans', assetId: 'A-2', model: 'OceanStor 5500', text: 'fans and airflow' },
      { itemId: 'A-2:disks', assetId: 'A-2', model: 'OceanStor 5500', text: 'disk health (SMART, rebuilds)' },
    ]);
    // no incident clocks for a work order: escalation holds its deadline instead
    const started = stack.escEvents.filter((e) => e.type === 'escalation.clock.started.v1');
    expect(started).toHaveLength(0);
  }, 120_000);

  it('records results, opens a case for a finding, and the customer signs the report: the work order is done', async () => {
    const first = (await stack.cs.http('GET', '/inspections?limit=10', { token: admin })).body.items[0];
    expect(first).toMatchObject({ kind: 'on-site', status: 'open', tally: { items: 4, passed: 0 } });
    const put = (item: string, result: string, note?: string) =>
      stack.cs.http('PUT', `/inspections/${first.id}/items/${encodeURIComponent(item)}`, {
        token: engineer,
        body: { result, ...(note ? { note } : {}) },
      });
    // signing before every item has a result is refused
    const early = await stack.cs.http('POST', `/inspections/${first.id}/report/signatures/engineer`, {
      token: engineer,
      body: { typedName: 'Liu Field' },
    });
    expect(early.status).toBe(409);
    expect((await put('A-1:fans', 'broken')).status).toBe(400);
    expect((await put('A-9:fans', 'pass')).status).toBe(404);
    for (const item of ['A-1:fans', 'A-1:disks', 'A-2:fans']) expect((await put(item, 'pass')).status).toBe(200);
    expect((await put('A-2:disks', 'fail', 'disk 7 predictive failure')).body.tally).toEqual({
      items: 4,
      passed: 3,
      failed: 1,
      notApplicable: 0,
    });
    const found = await stack.cs.http('POST', `/inspections/${first.id}/findings`, {
      token: engineer,
      body: { itemId: 'A-2:disks', symptom: 'disk 7 predictive failure', severity: 'P3' },
    });
    expect(found.status).toBe(201);
    const finding = await waitFor('the finding’s case', async () => {
      const r = (await stack.cs.http('GET', `/inspections/${first.id}`, { token: admin })).body.findings[0];
      return r?.caseId ? r : undefined;
    });
    const findingCase = (await stack.cs.http('GET', `/cases/${finding.caseId}`, { token: admin })).body;
    expect(findingCase).toMatchObject({
      caseType: 'incident',
      severity: 'P3',
      assetId: 'A-2',
      serialNumber: 'SN-NB-2',
      customerId: 'C-NB',
    });
    expect(
      (await stack.cs.http('POST', `/inspections/${first.id}/report/signatures/engineer`, { token: customer, body: { typedName: 'x' } }))
        .status,
    ).toBe(403);
    await stack.cs.http('POST', `/inspections/${first.id}/report/signatures/engineer`, {
      token: engineer,
      body: { typedName: 'Liu Field' },
    });
    const signed = await stack.cs.http('POST', `/inspections/${first.id}/report/signatures/customer`, {
      token: customer,
      body: { typedName: 'Wang Fang' },
    });
    expect(signed.body).toMatchObject({ status: 'signed', signatures: [{ party: 'customer' }, { party: 'engineer' }] });
    expect((await stack.cs.http('GET', `/cases/${first.caseId}`, { token: admin })).body.status).toBe('closed');
    expect((await put('A-1:fans', 'fail')).status).toBe(409);
  });

  it('fires the alert for an inspection left undone past its due time, once', async () => {
    const all = (await stack.cs.http('GET', '/inspections?limit=10', { token: admin })).body.items;
    // sign off the second and third quickly; the fourth stays undone
    for (const i of all.slice(1, 3)) {
      for (const item of i.items)
        await stack.cs.http('PUT', `/inspections/${i.id}/items/${encodeURIComponent(item.itemId)}`, {
          token: engineer,
          body: { result: 'pass' },
        });
      await stack.cs.http('POST', `/inspections/${i.id}/report/signatures/engineer`, { token: engineer, body: { typedName: 'Liu Field' } });
      await stack.cs.http('POST', `/inspections/${i.id}/report/signatures/customer`, { token: customer, body: { typedName: 'Wang Fang' } });
    }
    await waitFor('three deadlines met', async () => {
      const [{ n }] = await stack.esc.service.runtime.dataSource.query(
        `SELECT count(*)::int AS n FROM "${stack.esc.schema}".deadlines WHERE kind = 'inspection' AND state = 'met'`,
      );
      return n === 3;
    });
    const worker = stack.esc.service.app.get(DeadlineWorker);
    await worker.sweep();
    await worker.sweep();
    const overdue = await waitFor('the overdue alert', () => {
      const fired = stack.escEvents.filter((e) => e.type === 'escalation.deadline.overdue.v1');
      return fired.length ? fired : undefined;
    });
    expect(overdue).toHaveLength(1);
    expect(overdue[0]?.data).toMatchObject({
      kind: 'inspection',
      subjectId: all[3].id,
      caseId: all[3].caseId,
      dueAt: '2026-10-18T01:00:00.000Z',
      notifyRoles: ['service-delivery-manager', 'technical-manager'],
    });
    const metrics = await (await fetch(`${stack.esc.service.url}/metrics`)).text();
    expect(metrics).toMatch(/aftersales_escalation_deadlines_total\{[^}]*kind="inspection"[^}]*event="overdue"[^}]*\} 1/);
  });
});
