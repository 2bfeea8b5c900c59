import { CaseStatus, EventEnvelope } from '@aftersales/contracts';
import { caseOpened, deliver, nth, outboxRelayed, TestService, upstreamEvent, waitFor } from '@aftersales/testing';
import { randomUUID } from 'node:crypto';
import { ClockFiringLoop } from '../src/clocks/clock-firing.loop';
import type { RowTarget } from '../src/domain';
import { H, MIN, startEscalationService, steppedTime } from './escalation-harness';

const { time, ago, plus } = steppedTime();
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

interface ClockRow {
  id: string;
  target: string;
  episode: number;
  state: string;
  started_at: Date;
  due_at: Date | null;
  next_due_at: Date | null;
  paused_since: Date | null;
  stopped_at: Date | null;
  stop_reason: string | null;
}

interface TimelineClock {
  clockId: string;
  target: string;
  measures: string | null;
  episode: number;
  state: string;
  stoppedAt: string | null;
  stopReason: string | null;
  events: Array<{ key: string; status: string; dueAt: string | null }>;
  downtime?: { minutes: number; warrantyDays: number };
}

type Case = ReturnType<typeof caseOpened>;

/**
 * One clock per case and target, the diagnosis milestone: ladder B measures the time to diagnosis,
 * so `case.diagnosed.v1` stops its clock (and its rungs); every other target keeps a clock of its
 * own, and the warranty's downtime still runs to resolution.
 */
describe('escalation: the diagnosis stops the clocks that measure it (real PostgreSQL, over the bus)', () => {
  let t: TestService;
  let events: EventEnvelope[];
  let loop: ClockFiringLoop;
  beforeAll(async () => {
    ({ t, events, loop } = await startEscalationService({ clock: time, env: { ESCALATION_FIRING_INTERVAL_MS: '50' } }));
  });
  afterAll(() => t.stop());

  const open = async (over: Parameters<typeof caseOpened>[0]) => {
    const c = caseOpened(over);
    await deliver(t.bus, upstreamEvent('case.opened.v1', c.caseId, c));
    return c;
  };
  const ref = (c: Case) => ({ caseId: c.caseId, caseNumber: c.caseNumber, region: c.region, customerId: c.customerId });
  const status = (c: Case, from: CaseStatus, to: CaseStatus, at: string) =>
    deliver(
      t.bus,
      upstreamEvent('case.status.changed.v1', c.caseId, {
        ...ref(c),
        severity: c.severity,
        from,
        to,
        actor: { subject: 'eng-1', role: 'engineer' },
        at,
      }),
    );
  const diagnosedEvent = (c: Case, at: string) =>
    upstreamEvent('case.diagnosed.v1', c.caseId, {
      ...ref(c),
      severity: c.severity,
      workLogEntryId: randomUUID(),
      summary: 'RAID controller A failed',
      errorCodes: ['E-RAID-0042'],
      actor: { subject: 'eng-1', role: 'engineer' },
      at,
    });
  const diagnosed = (c: Case, at: string) => deliver(t.bus, diagnosedEvent(c, at));
  const visit = (c: Case, arrivedAt: string | null) =>
    deliver(
      t.bus,
      upstreamEvent('case.visit.updated.v1', c.caseId, {
        ...ref(c),
        visitId: '5f0c2a6e-2b7d-4a55-9a43-3c1f5b0d7e11',
        engineerId: 'fe-zhao',
        plannedArrivalAt: plus(c.openedAt, 2 * H),
        arrivedAt,
        completedAt: null,
      }),
    );
  const rowsOf = async (caseId: string): Promise<ClockRow[]> =>
    t.service.runtime.dataSource.query(`SELECT * FROM "${t.schema}".sla_clocks WHERE case_id = $1 ORDER BY episode, target`, [caseId]);
  /** the current episode's clocks by target */
  // keyed by what a case's rows can hold: a test reads the rows it expects (a missing one fails it)
  const byTarget = async (caseId: string) =>
    Object.fromEntries((await rowsOf(caseId)).map((r) => [r.target, r])) as Record<RowTarget, ClockRow>;
  const timeline = async (caseId: string): Promise<TimelineClock[]> => {
    const res = await t.http('GET', `/cases/${caseId}/timeline`);
    expect(res.status).toBe(200);
    return res.body.clocks;
  };
  /** the event keys a clock fired */
  const firedBy = (clockId: string) =>
    events
      .filter((e) => (e.data as { clockId?: string }).clockId === clockId && e.type !== 'escalation.clock.started.v1')
      .map((e) => (e.data as { eventKey: string }).eventKey);
  const ofCase = (caseId: string, type: string) => events.filter((e) => e.subject === caseId && e.type === type);
  /** everything due by now fired and relayed: what `events` lacks now was not published */
  const settle = async () => {
    await loop.fireDue();
    await outboxRelayed(t);
  };
  const createPolicy = async (
    base: 'ladder-a' | 'ladder-b',
    edit: (p: { severities: Record<string, { targets: Record<string, number> }> }) => void,
  ) => {
    const p = structuredClone((await t.http('GET', `/policies/${base}`)).body);
    p.id = `${base}-x-${randomUUID().slice(0, 8)}`;
    delete p.version;
    edit(p);
    const res = await t.http('POST', '/policies', { body: p, role: 'admin' });
    expect(res.status).toBe(201);
    return p.id as string;
  };

  it('what fell due before the diagnosis but the lagging loop had not fired yet still fires, once; nothing after it', async () => {
    await loop.stop(); // the loop lags: nothing fires on its own
    let ladderId = '';
    try {
      const openedAt = ago(15 * MIN); // warning (8 min), breach and Manager1 (10 min) are overdue
      const c = await open({ severity: 'P1', openedAt });
      ladderId = (await byTarget(c.caseId))['ladder:diagnosis'].id;
      await outboxRelayed(t);
      expect(firedBy(ladderId)).toEqual([]);

      await diagnosed(c, plus(openedAt, 9 * MIN)); // after the warning, before the breach and Manager1
      await waitFor('the warning', () => (firedBy(ladderId).length >= 1 ? true : undefined));
      expect((await byTarget(c.caseId))['ladder:diagnosis']).toMatchObject({ state: 'stopped', stop_reason: 'diagnosed' });
    } finally {
      loop.start();
    }
    await settle();
    // with the loop back: the warning once, the breach and Manager1 (due after the diagnosis) never
    expect(firedBy(ladderId)).toEqual(['warning:diagnosis']);
  });

  it('ladder B, P1 diagnosed at 30 min: the ladder clock stops there (diagnosed); Manager2 (1 h), the vendor (4 h) and Manager3 (24 h) never come', async () => {
    const openedAt = ago(60 * MIN - 3_000); // Manager2 would be due in 3 s
    const c = await open({ severity: 'P1', openedAt });
    const rows = await byTarget(c.caseId);
    expect(Object.keys(rows)).toEqual(['ladder:diagnosis']);
    const ladder = rows['ladder:diagnosis'];
    expect(iso(ladder.due_at)).toBe(plus(openedAt, 10 * MIN)); // the diagnosis target = the first rung
    // what came due before the diagnosis: the warning, the breach and Manager1 at 10 min
    await waitFor('the events due before the diagnosis', () => (firedBy(ladder.id).length === 3 ? true : undefined));

    const at = plus(openedAt, 30 * MIN);
    await diagnosed(c, at);
    const stopped = (await byTarget(c.caseId))['ladder:diagnosis'];
    expect(stopped).toMatchObject({ state: 'stopped', stop_reason: 'diagnosed', next_due_at: null, paused_since: null });
    expect(iso(stopped.stopped_at)).toBe(at);

    time.advance(3_500); // past the 1-h rung
    await settle();
    expect(firedBy(ladder.id)).toEqual(['warning:diagnosis', 'breach:diagnosis', 'rung:0']);
    expect(ofCase(c.caseId, 'escalation.rung.reached.v1').map((e) => (e.data as { rungIndex: number }).rungIndex)).toEqual([0]);
    expect(ofCase(c.caseId, 'escalation.vendor-case.required.v1')).toEqual([]);

    const clock = nth(await timeline(c.caseId), 0);
    expect(clock).toMatchObject({
      target: 'ladder:diagnosis',
      measures: 'diagnosis',
      state: 'stopped',
      stoppedAt: at,
      stopReason: 'diagnosed',
    });
    expect(clock.events.map((e) => [e.key, e.status])).toEqual([
      ['warning:diagnosis', 'fired'],
      ['breach:diagnosis', 'fired'],
      ['rung:0', 'fired'],
      ['rung:1', 'stopped'],
      ['rung:2', 'stopped'],
      ['rung:3', 'stopped'],
    ]);

    // the same event again, and a later diagnosis of the same episode: nothing moves
    const again = diagnosedEvent(c, at);
    await deliver(t.bus, again);
    await deliver(t.bus, again);
    await diagnosed(c, plus(openedAt, 50 * MIN));
    expect(iso((await byTarget(c.caseId))['ladder:diagnosis'].stopped_at)).toBe(at);
    // resolution later leaves the stop reason alone
    await status(c, 'in-progress', 'resolved', ago(0));
    expect((await byTarget(c.caseId))['ladder:diagnosis']).toMatchObject({ state: 'stopped', stop_reason: 'diagnosed' });
  });

  it('diagnosed before the first rung: nothing of the ladder fires at all', async () => {
    const openedAt = ago(8 * MIN - 2_000); // the warning at 8 min is 2 s away
    const c = await open({ severity: 'P1', openedAt });
    const { 'ladder:diagnosis': ladder } = await byTarget(c.caseId);
    await diagnosed(c, ago(0));
    time.advance(2_500);
    await settle();
    expect(firedBy(ladder.id)).toEqual([]);
  });

  it('P1 under a contract, diagnosed early and resolved late: the warranty still counts to resolution, without the waits on the customer', async () => {
    const openedAt = ago(50 * H);
    const c = await open({ severity: 'P1', openedAt, serviceMode: 'on-site', contract: { contractId: 'K-DX', coverage: '7x24' } });
    const rows = await byTarget(c.caseId);
    expect(Object.keys(rows).sort()).toEqual(['downtime', 'ladder:diagnosis', 'onsite']);
    expect(rows.downtime).toMatchObject({ state: 'running', due_at: null, next_due_at: null }); // fires nothing
    await diagnosed(c, plus(openedAt, 30 * MIN));
    // waits after the diagnosis: the ladder's clock has stopped, the downtime clock takes them
    await status(c, 'in-progress', 'waiting-customer', plus(openedAt, 2 * H));
    await status(c, 'waiting-customer', 'in-progress', plus(openedAt, 6 * H));
    await status(c, 'in-progress', 'waiting-parts', plus(openedAt, 7 * H)); // parts are the supplier's business: downtime
    await status(c, 'waiting-parts', 'in-progress', plus(openedAt, 30 * H));
    const during = await byTarget(c.caseId);
    expect(during['ladder:diagnosis']).toMatchObject({ state: 'stopped', stop_reason: 'diagnosed' });
    expect(during.downtime.state).toBe('running');
    await status(c, 'in-progress', 'resolved', plus(openedAt, 49 * H));

    const earned = await waitFor('the extension', () => ofCase(c.caseId, 'escalation.warranty.extension-earned.v1')[0]);
    // 49 h from the report to resolution − 4 h waiting on the customer = 45 h → 2 days (not 30 min → 1 day)
    expect(earned.data).toMatchObject({
      contractId: 'K-DX',
      clockId: rows.downtime.id,
      downtimeMinutes: 45 * 60,
      days: 2,
      from: openedAt,
      to: plus(openedAt, 49 * H),
    });
    const after = await byTarget(c.caseId);
    expect(after.downtime).toMatchObject({ state: 'stopped', stop_reason: 'resolved' });
    expect(firedBy(rows.downtime.id)).toEqual([]);
    const tl = await timeline(c.caseId);
    expect(tl.find((k) => k.target === 'downtime')).toMatchObject({
      measures: null,
      events: [],
      downtime: { minutes: 45 * 60, warrantyDays: 2 },
    });
    // confirmed and closed: no second extension
    await status(c, 'resolved', 'confirmed', plus(openedAt, 49.5 * H));
    await status(c, 'confirmed', 'closed', plus(openedAt, 49.6 * H));
    await settle();
    expect(ofCase(c.caseId, 'escalation.warranty.extension-earned.v1')).toHaveLength(1);
  });

  it('ladder A measures resolution: the preset has no diagnosis clock and a diagnosis changes nothing', async () => {
    const c = await open({
      severity: 'P4',
      openedAt: ago(11 * H),
      contract: { contractId: 'K-A', coverage: '7x24', policyId: 'ladder-a' },
    });
    expect(Object.keys(await byTarget(c.caseId))).toEqual(['ladder:resolution']);
    await diagnosed(c, ago(0));
    expect((await byTarget(c.caseId))['ladder:resolution']).toMatchObject({ state: 'running', stop_reason: null });
  });

  it('ladder A with a diagnosis target (admin policy): a diagnosis clock of its own stops at the diagnosis; the ladder runs on to resolution', async () => {
    const policyId = await createPolicy('ladder-a', (p) => {
      p.severities.P2!.targets.diagnosis = 30;
    });
    const openedAt = ago(2 * H - 3_000); // ladder A P2: the project lead after 2 h, 3 s from now
    const c = await open({ severity: 'P2', openedAt, contract: { contractId: 'K-AD', coverage: '7x24', policyId } });
    const rows = await byTarget(c.caseId);
    expect(Object.keys(rows).sort()).toEqual(['diagnosis', 'ladder:resolution']);
    expect(iso(rows.diagnosis.due_at)).toBe(plus(openedAt, 30 * MIN));
    await waitFor('the diagnosis warning and breach', () => (firedBy(rows.diagnosis.id).length === 2 ? true : undefined));
    expect(firedBy(rows.diagnosis.id)).toEqual(['warning:diagnosis', 'breach:diagnosis']);
    await waitFor('the resolution warning (80 % of 2 h)', () => (firedBy(rows['ladder:resolution'].id).length ? true : undefined));
    expect(firedBy(rows['ladder:resolution'].id)).toEqual(['warning:resolution']); // nothing of the diagnosis

    await diagnosed(c, plus(openedAt, 45 * MIN));
    const after = await byTarget(c.caseId);
    expect(after.diagnosis).toMatchObject({ state: 'stopped', stop_reason: 'diagnosed' });
    expect(after['ladder:resolution']).toMatchObject({ state: 'running' });
    time.advance(3_000);
    const lead = await waitFor('the project lead at 2 h', () => ofCase(c.caseId, 'escalation.rung.reached.v1')[0]);
    expect(lead.data).toMatchObject({ clockId: rows['ladder:resolution'].id, rungIndex: 0, target: 'resolution' });
  });

  it('ladder B with a resolution target (admin policy): the resolution clock runs on after the diagnosis and breaches on its own', async () => {
    const policyId = await createPolicy('ladder-b', (p) => {
      p.severities.P3!.targets.resolution = 5 * 60;
    });
    const openedAt = ago(5 * H - 3_000); // resolution breach in 3 s; ladder B P3's Manager1 was at 4 h
    const c = await open({ severity: 'P3', openedAt, contract: { contractId: 'K-BR', coverage: '7x24', policyId } });
    const rows = await byTarget(c.caseId);
    expect(Object.keys(rows).sort()).toEqual(['ladder:diagnosis', 'resolution']);
    await waitFor('the ladder up to Manager1', () => (firedBy(rows['ladder:diagnosis'].id).includes('rung:0') ? true : undefined));
    await diagnosed(c, plus(openedAt, 4.5 * H));
    expect((await byTarget(c.caseId))['ladder:diagnosis']).toMatchObject({ state: 'stopped', stop_reason: 'diagnosed' });
    time.advance(3_000);
    await waitFor('the resolution breach', () => (firedBy(rows.resolution.id).length === 2 ? true : undefined));
    expect(firedBy(rows.resolution.id)).toEqual(['warning:resolution', 'breach:resolution']);
    expect(firedBy(rows['ladder:diagnosis'].id).sort()).toEqual(['breach:diagnosis', 'rung:0', 'warning:diagnosis']);
    await status(c, 'in-progress', 'resolved', ago(0));
    expect((await byTarget(c.caseId)).resolution).toMatchObject({ state: 'stopped', stop_reason: 'resolved' });
  });

  it('a reopen starts the next episode undiagnosed: its ladder clock runs (rungs again) until that episode’s diagnosis', async () => {
    const openedAt = ago(5 * H);
    const c = await open({ severity: 'P1', openedAt });
    await diagnosed(c, plus(openedAt, 5 * MIN));
    await status(c, 'in-progress', 'resolved', plus(openedAt, 1 * H));
    const reopenedAt = ago(12 * MIN); // Manager1 of the new episode (10 min) is due
    await status(c, 'resolved', 'reopened', reopenedAt);
    const rows = await rowsOf(c.caseId);
    expect(rows.map((r) => [r.episode, r.target, r.state, r.stop_reason])).toEqual([
      [1, 'ladder:diagnosis', 'stopped', 'diagnosed'],
      [2, 'ladder:diagnosis', 'running', null],
    ]);
    expect(iso(nth(rows, 1).started_at)).toBe(reopenedAt);
    const second = nth(rows, 1);
    await waitFor('Manager1 again', () => (firedBy(second.id).includes('rung:0') ? true : undefined));
    await diagnosed(c, plus(reopenedAt, 11 * MIN));
    expect((await rowsOf(c.caseId))[1]).toMatchObject({ state: 'stopped', stop_reason: 'diagnosed' });
    expect(iso(nth(await rowsOf(c.caseId), 1).stopped_at)).toBe(plus(reopenedAt, 11 * MIN));
    expect(iso(nth(await rowsOf(c.caseId), 0).stopped_at)).toBe(plus(openedAt, 5 * MIN)); // episode 1 untouched
  });

  it('a dispatch after the diagnosis starts the on-site clock with the waits since the report, though no clock ran through them', async () => {
    const openedAt = ago(3 * H);
    const c = await open({ severity: 'P2', openedAt }); // ladder B: on site within 24 h, pauses on the customer
    await diagnosed(c, plus(openedAt, 20 * MIN));
    await status(c, 'in-progress', 'waiting-customer', plus(openedAt, 1 * H));
    await status(c, 'waiting-customer', 'in-progress', plus(openedAt, 2 * H));
    expect((await rowsOf(c.caseId)).map((r) => [r.target, r.state])).toEqual([['ladder:diagnosis', 'stopped']]);
    await visit(c, null);
    const { onsite } = await byTarget(c.caseId);
    expect(onsite).toMatchObject({ state: 'running', paused_since: null });
    expect(iso(onsite.started_at)).toBe(openedAt);
    expect(iso(onsite.due_at)).toBe(plus(openedAt, 25 * H)); // 24 h + the hour the customer took
    expect(iso(onsite.next_due_at)).toBe(plus(openedAt, 19.2 * H + 1 * H));
    await visit(c, ago(0));
    expect((await byTarget(c.caseId)).onsite).toMatchObject({ state: 'stopped', stop_reason: 'arrived' });
  });

  it('a case opened before the diagnosis milestone (legacy `ladder` main clock) runs to resolution and earns its warranty; its reopen gets today’s clocks', async () => {
    const caseId = randomUUID();
    const openedAt = ago(30 * H);
    await t.service.runtime.dataSource.query(
      `INSERT INTO "${t.schema}".sla_clocks (id, case_id, region, severity, target, episode, state, started_at, due_at, next_due_at,
                                             policy_id, policy_version, calendar_id, contract_id, coverage)
       VALUES ($1, $2, 'north', 'P1', 'ladder', 1, 'running', $3, $4, NULL, 'ladder-b', 1, '7x24', 'K-OLD', '7x24')`,
      [randomUUID(), caseId, openedAt, plus(openedAt, 10 * MIN)],
    );
    const c = { ...caseOpened({ severity: 'P1', openedAt }), caseId };
    await diagnosed(c, plus(openedAt, 30 * MIN));
    expect((await byTarget(caseId)).ladder).toMatchObject({ state: 'running' });
    await status(c, 'in-progress', 'resolved', plus(openedAt, 25 * H));
    const earned = await waitFor('the extension', () => ofCase(caseId, 'escalation.warranty.extension-earned.v1')[0]);
    expect(earned.data).toMatchObject({ contractId: 'K-OLD', downtimeMinutes: 25 * 60, days: 2 });
    await status(c, 'resolved', 'reopened', ago(0));
    expect((await rowsOf(caseId)).map((r) => [r.episode, r.target, r.state])).toEqual([
      [1, 'ladder', 'stopped'],
      [2, 'downtime', 'running'],
      [2, 'ladder:diagnosis', 'running'],
    ]);
  });
});
