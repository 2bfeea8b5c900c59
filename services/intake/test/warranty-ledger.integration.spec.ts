import { ManualClock } from '@aftersales/platform';
import { deliver, eventOf, tokenFor, waitFor, waitForHandled } from '@aftersales/testing';
import { IntakeStack, startIntakeStack } from './intake-stack';
import { seedRegistry } from './requests.seed';

const HOUR = 3_600_000;

/**
 * Issue 15's first must-show, over one bus with the real case and escalation services: a P1 whose
 * downtime an engineer marks supplier-caused moves its asset's warranty by the 24-hour days down
 * (48 h → 2 days) and the desk shows where the new end came from; the same downtime marked
 * customer-caused moves nothing; a correction after close, and a reopen, recompute the ledger
 * without counting anything twice.
 */
describe('warranty ledger: supplier-caused downtime extends the asset warranty (intake, case, escalation; one bus)', () => {
  const clock = new ManualClock('2026-03-02T01:00:00Z');
  let stack: IntakeStack;
  let agent: string;
  let engineer: string;
  let admin: string;

  beforeAll(async () => {
    stack = await startIntakeStack(clock);
    [agent, engineer, admin] = await Promise.all([
      tokenFor('agent', { sub: 'agent-li' }),
      tokenFor('engineer', { sub: 'exp-wang' }),
      tokenFor('admin', { sub: 'admin-1' }),
    ]);
    await seedRegistry(stack.intake.service.runtime.dataSource, {
      customers: [{ id: 'C-NB', name: 'North Bank' }],
      sites: [{ id: 'S-NB-DC', customerId: 'C-NB', city: 'Beijing' }],
      contacts: [{ id: 'K-WANG', customerId: 'C-NB', siteId: 'S-NB-DC', name: 'Wang Fang', phone: '+86 10 5555-0100' }],
      contracts: [{ id: 'K-NB', customerId: 'C-NB', coverage: '7x24', startsOn: '2026-01-01', endsOn: '2028-12-31' }],
      assets: ['A-1', 'A-2'].map((id, i) => ({
        id,
        customerId: 'C-NB',
        siteId: 'S-NB-DC',
        contractId: 'K-NB',
        model: 'OceanStor 5500',
        productLine: 'storage',
        serialNumber: `SN-NB-${i + 1}`,
        warrantyEndsOn: '2026-12-31',
      })),
    });
    const res = await stack.cs.http('POST', '/engineers', {
      token: admin,
      body: {
        id: 'exp-wang',
        name: 'Wang Expert',
        tier: 'L3',
        grade: 'technical-expert',
        senior: true,
        region: 'north',
        skills: ['storage'],
      },
    });
    expect(res.status).toBe(201);
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  });

  /** A P1 filed at the desk for the serial, worked and resolved after `hours` of downtime. */
  async function p1Down(serial: string, hours: number): Promise<string> {
    const filed = await stack.intake.http('POST', '/requests', {
      token: agent,
      body: { channel: 'phone', contactId: 'K-WANG', serialNumber: serial, impact: 'system-down', symptom: 'array offline' },
    });
    expect(filed.status).toBe(201);
    const c = await waitFor('the P1 case, assigned', async () => {
      const r = await stack.cs.http('GET', `/cases?requestId=${filed.body.id}`, { token: admin });
      return r.body.items?.[0]?.status === 'assigned' ? r.body.items[0] : undefined;
    });
    await waitFor('its clocks', async () => (await stack.esc.http('GET', `/cases/${c.id}/timeline`, { token: admin })).status === 200);
    await move(c.id, 'in-progress');
    clock.advance(hours * HOUR);
    await resolve(c.id);
    return c.id;
  }

  async function move(caseId: string, to: string, reason?: string, token = engineer) {
    const r = await stack.cs.http('POST', `/cases/${caseId}/transitions`, { token, body: { to, ...(reason ? { reason } : {}) } });
    expect({ to, status: r.status, body: r.body }).toMatchObject({ to, status: 200 });
  }

  /** Resolves and waits until intake has taken the downtime escalation measured. */
  async function resolve(caseId: string) {
    const seen = new Set(stack.escEvents.map((e) => e.id));
    const measured = waitForHandled(
      stack.intake,
      (e) => eventOf('escalation.warranty.extension-earned.v1', { caseId })(e) && !seen.has(e.id),
    );
    await move(caseId, 'resolved');
    await measured;
  }

  async function classify(caseId: string, cause: string, reason: string) {
    const handled = waitForHandled(
      stack.intake,
      (e) => e.type === 'case.downtime.classified.v1' && (e.data as { reason: string }).reason === reason,
    );
    const r = await stack.cs.http('PUT', `/cases/${caseId}/downtime`, { token: engineer, body: { cause, reason } });
    expect(r.status).toBe(200);
    await handled;
    return r.body;
  }

  const onDesk = async (serial: string) => {
    const r = await stack.intake.http('GET', `/desk/lookup?serial=${serial}`, { token: agent });
    expect(r.status).toBe(200);
    return r.body.matches[0].assets[0];
  };

  let caseA: string;

  it('a supplier-caused P1 down exactly 48 h moves the asset’s warranty end by 2 days, and the desk shows why', async () => {
    caseA = await p1Down('SN-NB-1', 48);
    // measured, but nobody has said who caused it yet: listed, not counted
    let a = await onDesk('SN-NB-1');
    expect(a.asset.warrantyEndsOn).toBe('2026-12-31');
    expect(a.warrantyLedger.extensions).toEqual([expect.objectContaining({ caseId: caseA, hours: 48, days: 0, counted: false })]);

    const view = await classify(caseA, 'supplier', 'controller firmware defect (our software)');
    expect(view).toMatchObject({
      cause: 'supplier',
      history: [{ cause: 'supplier', previousCause: null, actor: { subject: 'exp-wang' } }],
    });
    a = await onDesk('SN-NB-1');
    expect(a.asset.warrantyEndsOn).toBe('2027-01-02');
    expect(a.warrantyLedger).toMatchObject({
      subject: { type: 'asset', id: 'A-1' },
      baseEndsOn: '2026-12-31',
      endsOn: '2027-01-02',
      extendedDays: 2,
      extensions: [{ caseId: caseA, cause: 'supplier', hours: 48, days: 2, counted: true, by: 'exp-wang', source: 'measured' }],
    });
    expect(a.warrantyLedger.extensions[0].caseNumber).toMatch(/^NORTH-2026-/);
    const changed = stack.intakeEvents.filter((e) => e.type === 'intake.warranty.changed.v1' && e.subject === 'A-1');
    expect(changed.map((e) => (e.data as { warrantyEndsOn: string }).warrantyEndsOn)).toEqual(['2027-01-02']);
    // the contract's own warranty is not touched: the asset has its own
    expect((await stack.intake.http('GET', '/contracts/K-NB', { token: admin })).body.warrantyEndsOn).toBeNull();
  }, 60_000);

  it('the same downtime marked customer-caused moves nothing', async () => {
    const caseB = await p1Down('SN-NB-2', 48);
    await classify(caseB, 'customer', 'the customer’s own power cut took the array down');
    const b = await onDesk('SN-NB-2');
    expect(b.asset.warrantyEndsOn).toBe('2026-12-31');
    expect(b.warrantyLedger).toMatchObject({
      endsOn: '2026-12-31',
      extendedDays: 0,
      extensions: [{ caseId: caseB, cause: 'customer', hours: 48, days: 0, counted: false }],
    });
  }, 60_000);

  it('a correction after close recomputes the ledger, and a reopen adds only its own downtime', async () => {
    await move(caseA, 'confirmed', undefined, agent);
    await move(caseA, 'closed', undefined, agent);
    await classify(caseA, 'third-party', 'root cause found later: the carrier’s fibre cut');
    expect((await onDesk('SN-NB-1')).asset.warrantyEndsOn).toBe('2026-12-31');
    await classify(caseA, 'supplier', 'carrier cleared; the failover defect was ours after all');
    let a = await onDesk('SN-NB-1');
    expect(a.asset.warrantyEndsOn).toBe('2027-01-02'); // 2 days again, not 4
    expect(a.warrantyLedger.extensions).toHaveLength(1);

    // the fault is back: a second stoppage of 24 h on the same case → 72 h in all → 3 days, not 2 + 1 counted on top of 2
    await move(caseA, 'reopened', 'array offline again', agent);
    await move(caseA, 'in-progress');
    clock.advance(24 * HOUR);
    await resolve(caseA);
    a = await onDesk('SN-NB-1');
    expect(a.asset.warrantyEndsOn).toBe('2027-01-03');
    expect(a.warrantyLedger.extensions).toEqual([expect.objectContaining({ caseId: caseA, hours: 72, days: 3, counted: true })]);

    // a redelivered measurement changes nothing
    const first = stack.escEvents.find((e) => e.type === 'escalation.warranty.extension-earned.v1' && e.subject === caseA)!;
    await deliver(stack.bus, first as Parameters<typeof deliver>[1]);
    expect((await onDesk('SN-NB-1')).asset.warrantyEndsOn).toBe('2027-01-03');
    const history = (await stack.cs.http('GET', `/cases/${caseA}/downtime`, { token: engineer })).body.history;
    expect(history.map((h: { cause: string }) => h.cause)).toEqual(['supplier', 'third-party', 'supplier']);
  }, 60_000);

  it('refuses a cause outside the list, a blank reason and overlapping or negative periods, storing nothing', async () => {
    const put = (body: unknown) => stack.cs.http('PUT', `/cases/${caseA}/downtime`, { token: engineer, body });
    const bad = [
      [{ cause: 'act-of-god', reason: 'x' }, 'cause'],
      [{ cause: 'supplier', reason: '  ' }, 'reason'],
      [{ cause: 'supplier', reason: 'r', periods: [{ from: '2026-03-02T05:00:00Z', to: '2026-03-02T04:00:00Z' }] }, 'periods[0].to'],
      [
        {
          cause: 'supplier',
          reason: 'r',
          periods: [
            { from: '2026-03-02T01:00:00Z', to: '2026-03-02T05:00:00Z' },
            { from: '2026-03-02T04:00:00Z', to: '2026-03-02T06:00:00Z' },
          ],
        },
        'periods[1]',
      ],
      [{ cause: 'supplier', reason: 'r', periods: [{ from: 'yesterday', to: '2026-03-02T04:00:00Z' }] }, 'periods.0.from'],
    ] as const;
    for (const [body, field] of bad) {
      const r = await put(body);
      expect({ field, status: r.status }).toEqual({ field, status: 400 });
      expect(JSON.stringify(r.body.errors)).toContain(field);
    }
    expect(
      (await stack.cs.http('PUT', `/cases/${caseA}/downtime`, { token: agent, body: { cause: 'supplier', reason: 'r' } })).status,
    ).toBe(403);
    const history = (await stack.cs.http('GET', `/cases/${caseA}/downtime`, { token: engineer })).body.history;
    expect(history).toHaveLength(3);
  });

  it('declared periods replace what the clock measured', async () => {
    const declared = waitForHandled(
      stack.intake,
      (e) => e.type === 'case.downtime.classified.v1' && !!(e.data as { periods?: unknown }).periods,
    );
    const r = await stack.cs.http('PUT', `/cases/${caseA}/downtime`, {
      token: engineer,
      body: {
        cause: 'supplier',
        reason: 'the array was down 26 h before the call, per its event log',
        periods: [
          { from: '2026-03-01T00:00:00Z', to: '2026-03-03T01:00:00Z' },
          { from: '2026-03-06T01:00:00Z', to: '2026-03-07T01:00:00Z' },
        ],
      },
    });
    expect({ status: r.status, body: r.body }).toMatchObject({ status: 200 });
    await declared;
    const a = await onDesk('SN-NB-1');
    expect(a.warrantyLedger.extensions).toEqual([expect.objectContaining({ hours: 73, days: 4, source: 'declared' })]);
    expect(a.asset.warrantyEndsOn).toBe('2027-01-04');
  });
});
