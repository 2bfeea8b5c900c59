import { CaseStatus, EventEnvelope } from '@aftersales/contracts';
import { caseOpened, deliver, nth, outboxRelayed, TestService, tokenFor, upstreamEvent, waitFor } from '@aftersales/testing';
import { randomUUID } from 'node:crypto';
import { ClockFiringLoop } from '../src/clocks/clock-firing.loop';
import type { RowTarget } from '../src/domain';
import { H, MIN, startEscalationService, steppedTime } from './escalation-harness';

const { time, ago, plus } = steppedTime();

interface ClockRow {
  id: string;
  target: string;
  episode: number;
  state: string;
  started_at: Date;
  due_at: Date;
  next_due_at: Date | null;
  paused_since: Date | null;
  stopped_at: Date | null;
  stop_reason: string | null;
}

interface Entry {
  key: string;
  dueAt: string | null;
  status: string;
  rungIndex?: number;
  notifyRoles?: string[];
}

describe('escalation clocks follow the case lifecycle (real PostgreSQL, over the bus)', () => {
  let t: TestService;
  let events: EventEnvelope[];
  let loop: ClockFiringLoop;
  beforeAll(async () => {
    ({ t, events, loop } = await startEscalationService({ clock: time, env: { ESCALATION_FIRING_INTERVAL_MS: '50' } }));
  });
  afterAll(() => t.stop());

  /** everything due by now fired and relayed: what `events` lacks now was not published */
  const settle = async () => {
    await loop.fireDue();
    await outboxRelayed(t);
  };

  const open = async (over: Parameters<typeof caseOpened>[0]) => {
    const c = caseOpened(over);
    await deliver(t.bus, upstreamEvent('case.opened.v1', c.caseId, c));
    return c;
  };
  const status = (c: ReturnType<typeof caseOpened>, from: CaseStatus, to: CaseStatus, at: string) =>
    deliver(
      t.bus,
      upstreamEvent('case.status.changed.v1', c.caseId, {
        ...caseRef(c),
        severity: c.severity,
        from,
        to,
        actor: { subject: 'eng-1', role: 'engineer' },
        at,
      }),
    );
  const timeline = async (caseId: string) => {
    // cases of several regions: a global token sees them all
    const res = await t.http('GET', `/cases/${caseId}/timeline`, { token: await tokenFor('manager', { global: true }) });
    expect(res.status).toBe(200);
    return res.body.clocks as Array<{
      target: string;
      episode: number;
      state: string;
      stopReason: string | null;
      policyVersion: number;
      events: Entry[];
      downtime?: { minutes: number; warrantyDays: number };
    }>;
  };
  const rung = (events: Entry[], i: number) => events.find((e) => e.key === `rung:${i}`)!;
  const clocks = (caseId: string) =>
    t.service.runtime.dataSource.query(`SELECT * FROM "${t.schema}".sla_clocks WHERE case_id = $1 ORDER BY episode`, [caseId]);
  const firedFor = (caseId: string, type: string) => events.filter((e) => e.subject === caseId && e.type === type);
  const visit = (c: ReturnType<typeof caseOpened>, arrivedAt: string | null) =>
    deliver(
      t.bus,
      upstreamEvent('case.visit.updated.v1', c.caseId, {
        ...caseRef(c),
        visitId: '5f0c2a6e-2b7d-4a55-9a43-3c1f5b0d7e11',
        engineerId: 'fe-zhao',
        plannedArrivalAt: plus(c.openedAt, 2 * H),
        arrivedAt,
        completedAt: null,
      }),
    );
  /** a case's clocks by target (a later episode's row wins) */
  // keyed by what a case's rows can hold: a test reads the rows it expects (a missing one fails it)
  const byTarget = async (caseId: string) =>
    Object.fromEntries(((await clocks(caseId)) as ClockRow[]).map((r) => [r.target, r])) as Record<RowTarget, ClockRow>;
  const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());
  /** the case fields every case event carries */
  const caseRef = (c: ReturnType<typeof caseOpened>) => ({
    caseId: c.caseId,
    caseNumber: c.caseNumber,
    region: c.region,
    customerId: c.customerId,
  });
  const responded = (c: ReturnType<typeof caseOpened>, at: string) =>
    deliver(
      t.bus,
      upstreamEvent('case.customer-responded.v1', c.caseId, {
        ...caseRef(c),
        kind: 'call',
        workLogEntryId: randomUUID(),
        actor: { subject: 'hl', role: 'engineer' },
        at,
      }),
    );
  const diagnosed = (c: ReturnType<typeof caseOpened>, at: string) =>
    deliver(
      t.bus,
      upstreamEvent('case.diagnosed.v1', c.caseId, {
        ...caseRef(c),
        severity: c.severity,
        workLogEntryId: randomUUID(),
        summary: 'fan tray failed',
        errorCodes: [],
        actor: { subject: 'eng-1', role: 'engineer' },
        at,
      }),
    );
  /**
   * A policy whose v1 is ladder A (P2: rungs by time to resolution, project lead at 2 h, technical
   * manager at 4 h …; with a diagnosis target if given), posted, and the body of its v2: ladder B for
   * P2 (rungs by time to diagnosis, Manager1 at 1 h, Manager2 at 4 h …) with a 4-hour resolution target.
   */
  const ladderAThenB = async (name: string, diagnosisMinutes?: number) => {
    const a = (await t.http('GET', '/policies/ladder-a')).body;
    const b = (await t.http('GET', '/policies/ladder-b')).body;
    const policyId = `kind-${randomUUID().slice(0, 8)}`;
    const v1 = { ...structuredClone(a), id: policyId, name };
    delete v1.version;
    if (diagnosisMinutes !== undefined) v1.severities.P2.targets.diagnosis = diagnosisMinutes;
    expect((await t.http('POST', '/policies', { body: v1, role: 'admin' })).status).toBe(201);
    const v2 = structuredClone(v1);
    v2.severities.P2 = { ...structuredClone(b.severities.P2), targets: { diagnosis: 60, resolution: 240 } };
    const openedAt = ago(150 * MIN);
    const openUnder = () =>
      open({ severity: 'P2', openedAt, channel: 'phone', contract: { contractId: 'K-KIND', coverage: '7x24', policyId } });
    return { policyId, v1, v2, openedAt, openUnder };
  };
  /** escalation events a clock fired, as `<event key>` */
  const firedBy = (clockId: string) =>
    events
      .filter((e) => (e.data as { clockId?: string }).clockId === clockId && e.type !== 'escalation.clock.started.v1')
      .map((e) => (e.data as { eventKey: string }).eventKey);

  it('a wait on the customer shifts every later rung by its length; the wait on parts does not (ladder B pauses on customer only)', async () => {
    const openedAt = ago(30 * MIN);
    const c = await open({ severity: 'P2', openedAt });
    await status(c, 'assigned', 'waiting-customer', plus(openedAt, 20 * MIN));
    await status(c, 'waiting-customer', 'in-progress', plus(openedAt, 27 * MIN));
    await status(c, 'in-progress', 'waiting-parts', plus(openedAt, 28 * MIN));
    await status(c, 'waiting-parts', 'in-progress', plus(openedAt, 29 * MIN));
    const clock = nth(await timeline(c.caseId), 0);
    // P2 Manager1 after 60 min on the clock: 7 min of waiting on the customer → 67 min of wall time
    expect(rung(clock.events, 0)).toMatchObject({ dueAt: plus(openedAt, 67 * MIN), notifyRoles: ['manager1', 'senior-engineer'] });
    expect(rung(clock.events, 1).dueAt).toBe(plus(openedAt, 4 * H + 7 * MIN));
    const [row] = await clocks(c.caseId);
    expect(row.paused_since).toBeNull();
    // next: the warning at 80 % of 60 min, shifted too
    expect(new Date(row.next_due_at).toISOString()).toBe(plus(openedAt, 48 * MIN + 7 * MIN));
  });

  it('an open wait stops the clock: nothing later fires until the customer answers', async () => {
    const openedAt = ago(5 * MIN);
    const c = await open({ severity: 'P1', openedAt });
    await status(c, 'assigned', 'waiting-customer', plus(openedAt, 1 * MIN));
    const [row] = await clocks(c.caseId);
    expect(row.paused_since).not.toBeNull();
    expect(row.next_due_at).toBeNull();
    const clock = nth(await timeline(c.caseId), 0);
    expect(rung(clock.events, 0)).toMatchObject({ dueAt: null, status: 'paused' });
    const metrics = await t.service.runtime.metrics.registry.metrics();
    expect(metrics).toMatch(
      /aftersales_sla_clocks_open\{severity="P1",target="ladder:diagnosis",region="north",state="paused"[^}]*\} [1-9]/,
    );

    // answered after 3 minutes of waiting: Manager1 is now due at 10 + 3 min after opening
    await status(c, 'waiting-customer', 'in-progress', plus(openedAt, 4 * MIN));
    const after = nth(await timeline(c.caseId), 0);
    expect(rung(after.events, 0).dueAt).toBe(plus(c.openedAt, 13 * MIN));
  });

  it('resolution stops the clock (nothing fires afterwards); a reopen starts a new episode whose rungs fire again', async () => {
    const openedAt = ago(3 * H);
    const c = await open({ severity: 'P1', openedAt });
    await waitFor('rungs 0 and 1 of episode 1', () => (firedFor(c.caseId, 'escalation.rung.reached.v1').length === 2 ? true : undefined));
    await status(c, 'in-progress', 'resolved', plus(openedAt, 2 * H + 30 * MIN));
    const [stopped] = await clocks(c.caseId);
    expect(stopped).toMatchObject({ state: 'stopped', stop_reason: 'resolved', next_due_at: null });
    time.advance(2 * H); // past rung 2 (4 h)
    await settle();
    // rung 2 (4 h) would have been due at 4 h: the clock stopped at 2.5 h, so it never fires
    expect(firedFor(c.caseId, 'escalation.rung.reached.v1')).toHaveLength(2);
    const episode1 = nth(await timeline(c.caseId), 0);
    expect(rung(episode1.events, 2).status).toBe('stopped');

    // reopened 90 minutes ago: a fresh clock from the reopen; its 10-min and 1-h rungs fire again
    const reopenedAt = ago(90 * MIN);
    await status(c, 'resolved', 'reopened', reopenedAt);
    await waitFor('rungs 0 and 1 of episode 2', () => (firedFor(c.caseId, 'escalation.rung.reached.v1').length === 4 ? true : undefined));
    const rows = await clocks(c.caseId);
    expect(rows.map((r: { episode: number; state: string }) => [r.episode, r.state])).toEqual([
      [1, 'stopped'],
      [2, 'running'],
    ]);
    expect(new Date(rows[1].started_at).toISOString()).toBe(reopenedAt);
    const second = firedFor(c.caseId, 'escalation.rung.reached.v1').slice(2);
    expect(second.map((e) => [(e.data as { clockId: string }).clockId, (e.data as { dueAt: string }).dueAt])).toEqual([
      [rows[1].id, plus(reopenedAt, 10 * MIN)],
      [rows[1].id, plus(reopenedAt, 60 * MIN)],
    ]);
    expect(firedFor(c.caseId, 'escalation.clock.started.v1')).toHaveLength(2);
    // the same reopen delivered again changes nothing
    await status(c, 'resolved', 'reopened', reopenedAt);
    expect(await clocks(c.caseId)).toHaveLength(2);
  });

  it('P1 downtime under a contract earns warranty days (24-hour days, started days round up, customer waits excluded)', async () => {
    const openedAt = ago(30 * H);
    const c = await open({ severity: 'P1', openedAt, contract: { contractId: 'K-7', coverage: '7x24' } });
    await status(c, 'in-progress', 'waiting-customer', plus(openedAt, 1 * H));
    await status(c, 'waiting-customer', 'in-progress', plus(openedAt, 5 * H));
    await status(c, 'in-progress', 'resolved', plus(openedAt, 26 * H));
    const earned = await waitFor('extension event', () => firedFor(c.caseId, 'escalation.warranty.extension-earned.v1')[0]);
    // 26 h open − 4 h waiting on the customer = 22 h down → 1 day
    expect(earned.data).toMatchObject({ contractId: 'K-7', downtimeMinutes: 22 * 60, days: 1 });
    const noContract = await open({ severity: 'P1', openedAt: ago(2 * H) });
    await status(noContract, 'in-progress', 'resolved', ago(0));
    await outboxRelayed(t);
    expect(firedFor(noContract.caseId, 'escalation.warranty.extension-earned.v1')).toHaveLength(0);
  });

  it('a policy change mid-case: running clocks keep their version until an admin re-bases them', async () => {
    const openedAt = ago(45 * MIN);
    const c = await open({ severity: 'P2', openedAt, region: 'east' });
    const current = (await t.http('GET', '/policies/ladder-b')).body;
    const faster = structuredClone(current);
    delete faster.version;
    faster.severities.P2.ladder.rungs[0].afterMinutes = 30;
    faster.severities.P2.targets.diagnosis = 30;
    const created = await t.http('POST', '/policies', { body: faster, role: 'admin' });
    expect(created.status).toBe(201);
    expect(created.body.version).toBe(current.version + 1);

    const before = nth(await timeline(c.caseId), 0);
    expect(before.policyVersion).toBe(current.version);
    expect(rung(before.events, 0).dueAt).toBe(plus(openedAt, 60 * MIN));
    expect(firedFor(c.caseId, 'escalation.rung.reached.v1')).toHaveLength(0);

    const rebased = await t.http('POST', '/policies/ladder-b/rebase', { role: 'admin' });
    expect(rebased.status).toBe(200);
    expect(rebased.body.clocks).toBeGreaterThanOrEqual(1);
    // under the new version Manager1 was due 15 minutes ago: it fires now, once
    const fired = await waitFor('rung 0 under v2', () => firedFor(c.caseId, 'escalation.rung.reached.v1')[0]);
    expect(fired.data).toMatchObject({ policyVersion: current.version + 1, dueAt: plus(openedAt, 30 * MIN) });

    // a new case in the region uses the newest version at once
    const later = await open({ severity: 'P2', openedAt: ago(0), region: 'east' });
    expect(nth(await timeline(later.caseId), 0).policyVersion).toBe(current.version + 1);
  });

  it('a re-base gives open cases clocks for the targets the new version adds (counted from the report, waits included), none for a target met, and stops those it drops', async () => {
    const base = (await t.http('GET', '/policies/ladder-b')).body;
    const policyId = `rebase-${randomUUID().slice(0, 8)}`;
    const v1 = { ...structuredClone(base), id: policyId, name: 'ladder B, to be re-based' };
    delete v1.version;
    expect((await t.http('POST', '/policies', { body: v1, role: 'admin' })).status).toBe(201);
    const openedAt = ago(30 * MIN);
    const openUnder = (over: Partial<Parameters<typeof caseOpened>[0]>) =>
      open({ severity: 'P2', openedAt, contract: { contractId: 'K-RB', coverage: '7x24', policyId }, ...over });
    const onsite = await openUnder({ serviceMode: 'on-site', channel: 'phone' });
    // answered 5 min in, diagnosed 20 min in: ladder B's clock stopped, nothing runs
    const answered = await openUnder({ channel: 'phone' });
    await responded(answered, plus(openedAt, 5 * MIN));
    await diagnosed(answered, plus(openedAt, 20 * MIN));
    const waited = await openUnder({ channel: 'email' });
    await status(waited, 'assigned', 'waiting-customer', plus(openedAt, 5 * MIN));
    await status(waited, 'waiting-customer', 'in-progress', plus(openedAt, 15 * MIN));
    const resolvedCase = await openUnder({ channel: 'phone' });
    await status(resolvedCase, 'in-progress', 'resolved', plus(openedAt, 25 * MIN));
    expect(Object.keys(await byTarget(onsite.caseId)).sort()).toEqual(['ladder:diagnosis', 'onsite']);
    expect(await byTarget(answered.caseId)).toMatchObject({ 'ladder:diagnosis': { state: 'stopped', stop_reason: 'diagnosed' } });

    // v2: a resolution target (4 h) and a response target (15 min); no on-site target any more
    const v2 = structuredClone(v1);
    v2.severities.P2.targets = { ...v2.severities.P2.targets, resolution: 240, response: 15 };
    delete v2.severities.P2.targets.onsite;
    expect((await t.http('POST', '/policies', { body: v2, role: 'admin' })).status).toBe(201);
    expect(Object.keys(await byTarget(waited.caseId)).sort()).toEqual(['ladder:diagnosis']); // not before the re-base

    const rebased = await t.http('POST', `/policies/${policyId}/rebase`, { role: 'admin' });
    expect(rebased.status).toBe(200);
    expect(rebased.body).toMatchObject({ policyId, version: 2, started: 5, stopped: 1 });

    const o = await byTarget(onsite.caseId);
    expect(Object.keys(o).sort()).toEqual(['ladder:diagnosis', 'onsite', 'resolution', 'response']);
    expect(o.onsite).toMatchObject({ state: 'stopped', stop_reason: 'rebased', next_due_at: null });
    expect(iso(o.resolution.due_at)).toBe(plus(openedAt, 240 * MIN));
    // answered and diagnosed: only the resolution clock
    const a = await byTarget(answered.caseId);
    expect(Object.keys(a).sort()).toEqual(['ladder:diagnosis', 'resolution']);
    expect(a.resolution).toMatchObject({ state: 'running', episode: 1 });
    // the 10-minute wait on the customer counts for the new clocks: the response breach is 25 min after the report
    const w = await byTarget(waited.caseId);
    expect(iso(w.response.due_at)).toBe(plus(openedAt, 25 * MIN));
    expect(iso(w.resolution.due_at)).toBe(plus(openedAt, 250 * MIN));
    const breach = await waitFor('the response breach of the waited case', () =>
      // the response breach: the ladder's diagnosis breach falls due about now and may come first
      events.find(
        (e) =>
          e.subject === waited.caseId && e.type === 'escalation.target.breached.v1' && (e.data as { target: string }).target === 'response',
      ),
    );
    expect(breach.data).toMatchObject({ clockId: w.response.id, target: 'response', dueAt: plus(openedAt, 25 * MIN), policyVersion: 2 });
    expect(Object.keys(await byTarget(resolvedCase.caseId)).sort()).toEqual(['ladder:diagnosis']); // resolved: left alone
    const started = events.filter(
      (e) => e.type === 'escalation.clock.started.v1' && (e.data as { clockId: string }).clockId === a.resolution.id,
    );
    expect(started).toHaveLength(1);

    // a second re-base finds nothing to do
    expect((await t.http('POST', `/policies/${policyId}/rebase`, { role: 'admin' })).body).toMatchObject({
      clocks: 0,
      started: 0,
      restarted: 0,
      stopped: 0,
    });

    // v3 puts the on-site target back: the on-site case's stopped clock runs again, the time it stood
    // stopped counting, but not the customer's 2-minute wait meanwhile
    await status(onsite, 'assigned', 'waiting-customer', plus(openedAt, 26 * MIN));
    await status(onsite, 'waiting-customer', 'in-progress', plus(openedAt, 28 * MIN));
    const v3 = structuredClone(v2);
    v3.severities.P2.targets.onsite = v1.severities.P2.targets.onsite;
    expect((await t.http('POST', '/policies', { body: v3, role: 'admin' })).status).toBe(201);
    expect((await t.http('POST', `/policies/${policyId}/rebase`, { role: 'admin' })).body).toMatchObject({
      version: 3,
      started: 0,
      restarted: 1,
      stopped: 0,
    });
    const o3 = await byTarget(onsite.caseId);
    expect(Object.keys(o3).sort()).toEqual(['ladder:diagnosis', 'onsite', 'resolution', 'response']);
    expect(o3.onsite).toMatchObject({ id: o.onsite.id, state: 'running', stop_reason: null, policy_version: 3 });
    expect(iso(o3.onsite.due_at)).toBe(plus(openedAt, (v1.severities.P2.targets.onsite as number) * MIN + 2 * MIN));
    await waitFor('the restarted clock announced', () =>
      events.find((e) => e.type === 'escalation.clock.started.v1' && (e.data as { clockId: string }).clockId === o.onsite.id),
    );
  });

  it("a re-base to a ladder that measures another target moves the ladder to that target's clock: rungs stop at the new target, nothing fired fires again", async () => {
    // v1 with a 60-minute diagnosis target: the case has a clock of its own for it
    const { policyId, v1, v2, openedAt, openUnder } = await ladderAThenB('ladder A, to become ladder B', 60);
    const fired = async (caseId: string) =>
      (
        await t.service.runtime.dataSource.query(
          `SELECT k.target, f.event_key FROM "${t.schema}".clock_firings f JOIN "${t.schema}".sla_clocks k ON k.id = f.clock_id
            WHERE k.case_id = $1`,
          [caseId],
        )
      )
        .map((r: { target: string; event_key: string }) => `${r.target} ${r.event_key}`)
        .sort();
    // both overdue under v1: the diagnosis warning and breach (48, 60 min), the resolution warning,
    // breach and rung 0 (96, 120, 120 min); one case is diagnosed at 130 min, the other is not
    const done = await openUnder();
    const undiagnosed = await openUnder();
    for (const c of [done, undiagnosed])
      await waitFor('v1 fired what is overdue', async () => ((await fired(c.caseId)).length === 5 ? true : undefined));
    await diagnosed(done, plus(openedAt, 130 * MIN));
    const before = { done: await byTarget(done.caseId), undiagnosed: await byTarget(undiagnosed.caseId) };
    expect(Object.keys(before.done).sort()).toEqual(['diagnosis', 'ladder:resolution']);
    expect(before.done.diagnosis).toMatchObject({ state: 'stopped', stop_reason: 'diagnosed' });
    expect(before.done['ladder:resolution'].state).toBe('running'); // ladder A's rungs go on to resolution

    expect((await t.http('POST', '/policies', { body: v2, role: 'admin' })).status).toBe(201);
    const eventsBefore = events.length;
    const rebased = await t.http('POST', `/policies/${policyId}/rebase`, { role: 'admin' });
    expect(rebased.status).toBe(200);
    expect(rebased.body).toMatchObject({ version: 2, retargeted: 4, started: 0, restarted: 0, stopped: 0 });

    // the diagnosed case: its ladder is met, so no rung runs any more; the old ladder clock measures resolution
    const d = await byTarget(done.caseId);
    expect(Object.keys(d).sort()).toEqual(['ladder:diagnosis', 'resolution']);
    expect(d['ladder:diagnosis']).toMatchObject({
      id: before.done.diagnosis.id,
      state: 'stopped',
      stop_reason: 'diagnosed',
      next_due_at: null,
    });
    expect(d.resolution).toMatchObject({ id: before.done['ladder:resolution'].id, state: 'running', policy_version: 2 });
    expect(iso(d.resolution.due_at)).toBe(plus(openedAt, 240 * MIN));
    expect(d.resolution.next_due_at).toBeNull(); // its warning and breach fired under v1 and stay fired
    // each fired event is held by the clock that fires it now: rung 0 by the ladder's
    expect(await fired(done.caseId)).toEqual([
      'ladder:diagnosis breach:diagnosis',
      'ladder:diagnosis rung:0',
      'ladder:diagnosis warning:diagnosis',
      'resolution breach:resolution',
      'resolution warning:resolution',
    ]);

    // the undiagnosed case: ladder B's next rung (Manager2 at 4 h) is the ladder's next event;
    // its diagnosis stops the rungs
    const u = await byTarget(undiagnosed.caseId);
    expect(u['ladder:diagnosis']).toMatchObject({ id: before.undiagnosed.diagnosis.id, state: 'running', policy_version: 2 });
    expect(iso(u['ladder:diagnosis'].next_due_at)).toBe(plus(openedAt, 240 * MIN));
    expect(iso(u['ladder:diagnosis'].due_at)).toBe(plus(openedAt, 60 * MIN));
    await diagnosed(undiagnosed, ago(0));
    const u2 = await byTarget(undiagnosed.caseId);
    expect(u2['ladder:diagnosis']).toMatchObject({ state: 'stopped', stop_reason: 'diagnosed' });
    expect(
      Object.values(u2)
        .filter((k) => k.state === 'running')
        .map((k) => [k.target, k.next_due_at]),
    ).toEqual([['resolution', null]]);

    // nothing fired before fires again under its new clock
    await settle();
    const since = events.slice(eventsBefore).filter((e) => [done.caseId, undiagnosed.caseId].includes(e.subject ?? ''));
    expect(since.map((e) => e.type)).toEqual([]);

    // v3 is ladder A again: the roles go back, and so does rung 0
    const v3 = structuredClone(v1);
    expect((await t.http('POST', '/policies', { body: v3, role: 'admin' })).status).toBe(201);
    expect((await t.http('POST', `/policies/${policyId}/rebase`, { role: 'admin' })).body).toMatchObject({ version: 3, retargeted: 4 });
    const d3 = await byTarget(done.caseId);
    expect(d3['ladder:resolution']).toMatchObject({ id: before.done['ladder:resolution'].id, state: 'running', policy_version: 3 });
    expect(iso(d3['ladder:resolution'].next_due_at)).toBe(plus(openedAt, 240 * MIN)); // ladder A's rung 1 (technical manager)
    expect(iso(d3['ladder:resolution'].due_at)).toBe(plus(openedAt, 120 * MIN));
    expect(await fired(done.caseId)).toContain('ladder:resolution rung:0');
  });

  it('a re-base to a ladder measuring a target the case has no clock for starts the ladder there, unless the case has met it', async () => {
    // v1 without a diagnosis target
    const { policyId, v1, v2, openedAt, openUnder } = await ladderAThenB('ladder A without a diagnosis target');
    const undiagnosed = await openUnder();
    const done = await openUnder();
    const rowsBefore = { undiagnosed: await byTarget(undiagnosed.caseId), done: await byTarget(done.caseId) };
    // under v1: the resolution warning and breach, and rung 0 (the project lead at 2 h)
    for (const c of [undiagnosed, done])
      await waitFor('v1 fired what is overdue', () =>
        firedBy(rowsBefore[c === done ? 'done' : 'undiagnosed']['ladder:resolution'].id).length === 3 ? true : undefined,
      );
    await diagnosed(done, plus(openedAt, 130 * MIN)); // no clock measures it, but the case has met it
    expect((await t.http('POST', '/policies', { body: v2, role: 'admin' })).status).toBe(201);
    expect((await t.http('POST', `/policies/${policyId}/rebase`, { role: 'admin' })).body).toMatchObject({
      version: 2,
      retargeted: 2,
      started: 1,
    });

    // the undiagnosed case gets ladder B's clock, counted from the report: rung 0 fired under v1 stays
    // fired, the diagnosis warning and breach (due 48 and 60 minutes in) fire now, once
    const u = await byTarget(undiagnosed.caseId);
    expect(Object.keys(u).sort()).toEqual(['ladder:diagnosis', 'resolution']);
    expect(u.resolution.id).toBe(rowsBefore.undiagnosed['ladder:resolution'].id);
    expect(iso(u['ladder:diagnosis'].due_at)).toBe(plus(openedAt, 60 * MIN));
    await waitFor('the diagnosis breach', () => (firedBy(u['ladder:diagnosis'].id).length === 2 ? true : undefined));
    const after = await byTarget(undiagnosed.caseId);
    expect(iso(after['ladder:diagnosis'].next_due_at)).toBe(plus(openedAt, 240 * MIN)); // Manager2 at 4 h
    await settle();
    expect(firedBy(u['ladder:diagnosis'].id).sort()).toEqual(['breach:diagnosis', 'warning:diagnosis']);
    expect(firedBy(u.resolution.id)).toHaveLength(3); // nothing more under the old ladder clock

    // the diagnosed case: nothing left to escalate, no ladder clock; back on v1 the rungs go on where they were
    const d = await byTarget(done.caseId);
    expect(Object.keys(d)).toEqual(['resolution']);
    expect(d.resolution).toMatchObject({ state: 'running', next_due_at: null });
    expect((await t.http('POST', '/policies', { body: structuredClone(v1), role: 'admin' })).status).toBe(201);
    expect((await t.http('POST', `/policies/${policyId}/rebase`, { role: 'admin' })).body).toMatchObject({ version: 3 });
    const d3 = await byTarget(done.caseId);
    expect(d3['ladder:resolution']).toMatchObject({ id: d.resolution.id, state: 'running' });
    expect(iso(d3['ladder:resolution'].next_due_at)).toBe(plus(openedAt, 240 * MIN)); // the technical manager at 4 h
  });

  it("a case a re-base left without a ladder clock still reopens: the next episode gets the re-based version's clocks", async () => {
    const { policyId, v2, openedAt, openUnder } = await ladderAThenB('ladder A, reopened under ladder B');
    const c = await openUnder();
    await diagnosed(c, plus(openedAt, 130 * MIN));
    expect((await t.http('POST', '/policies', { body: v2, role: 'admin' })).status).toBe(201);
    expect((await t.http('POST', `/policies/${policyId}/rebase`, { role: 'admin' })).body).toMatchObject({
      version: 2,
      retargeted: 1,
      started: 0,
    });
    expect(Object.keys(await byTarget(c.caseId))).toEqual(['resolution']);
    await status(c, 'in-progress', 'resolved', ago(2 * MIN));
    await status(c, 'resolved', 'reopened', ago(MIN));
    const next = (await clocks(c.caseId)).filter((k: { episode: number }) => k.episode === 2);
    expect(next.map((k: { target: string; policy_version: number }) => [k.target, k.policy_version]).sort()).toEqual([
      ['ladder:diagnosis', 2],
      ['resolution', 2],
    ]);
  });

  it('rejects a bad policy with the failing paths, writes nothing, and only admins write policies', async () => {
    const before = (await t.http('GET', '/policies/ladder-a')).body.version;
    const bad = await t.http('POST', '/policies', {
      role: 'admin',
      body: { id: 'ladder-a', name: 'x', calendarMode: 'contract', severities: { P1: { targets: { resolution: -5 } } } },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['severities.P2']));
    expect((await t.http('GET', '/policies/ladder-a')).body.version).toBe(before);
    expect((await t.http('POST', '/policies', { role: 'agent', body: { id: 'x' } })).status).toBe(403);
  });

  it('a region default and a business-hours contract calendar from the registry: rungs land in open hours, past a holiday that joins a weekend', async () => {
    const region = `r-${randomUUID().slice(0, 8)}`;
    const global = await tokenFor('admin', { global: true }); // another region's default needs a global token
    expect((await t.http('PUT', `/regions/${region}/policy`, { token: global, body: { policyId: 'ladder-a' } })).status).toBe(200);
    const calendarId = `bh-${region}`;
    await deliver(
      t.bus,
      upstreamEvent('intake.calendar.changed.v1', calendarId, {
        calendarId,
        changedAt: new Date().toISOString(),
        definition: {
          timeZone: 'Asia/Shanghai',
          kind: 'business-hours',
          weekly: {
            1: [{ start: '09:00', end: '18:00' }],
            2: [{ start: '09:00', end: '18:00' }],
            3: [{ start: '09:00', end: '18:00' }],
            4: [{ start: '09:00', end: '18:00' }],
            5: [{ start: '09:00', end: '18:00' }],
          },
          holidays: [{ date: '2030-03-04', name: 'a Monday off' }],
        },
      }),
    );
    // Friday 2030-03-01 17:30 in Shanghai, P1 under ladder A: project lead after 1 business hour
    const c = await open({
      severity: 'P1',
      region,
      openedAt: '2030-03-01T17:30:00+08:00',
      contract: { contractId: 'K-BH', coverage: 'business-hours', calendarId },
    });
    const clock = (await timeline(c.caseId)).find((k) => k.target === 'ladder:resolution')!; // (its downtime clock besides)
    expect(clock).toMatchObject({ policyVersion: 1 });
    expect(rung(clock.events, 0)).toMatchObject({
      dueAt: new Date('2030-03-05T09:30:00+08:00').toISOString(),
      notifyRoles: ['project-lead'],
    });
    expect(rung(clock.events, 1).dueAt).toBe(new Date('2030-03-05T10:30:00+08:00').toISOString());
  });

  describe('one clock per case and target: the on-site target', () => {
    it('an on-site case gets its own on-site clock (warning and breach of that target only); the arrival stops it', async () => {
      const openedAt = ago(20 * H); // P1 ladder B: on site within 24 h, warning at 80 % (19.2 h) — already due
      const c = await open({ severity: 'P1', openedAt, serviceMode: 'on-site' });
      const rows = await byTarget(c.caseId);
      expect(Object.keys(rows).sort()).toEqual(['ladder:diagnosis', 'onsite']);
      const warning = await waitFor('the on-site warning', () =>
        events.find(
          (e) => e.subject === c.caseId && e.type === 'escalation.warning.v1' && (e.data as { target: string }).target === 'onsite',
        ),
      );
      expect((warning.data as { clockId: string }).clockId).toBe(rows.onsite.id);
      const tl = await timeline(c.caseId);
      const onsite = tl.find((k) => k.target === 'onsite')!;
      expect(onsite.events.map((e) => e.key)).toEqual(['warning:onsite', 'breach:onsite']);
      const main = tl.find((k) => k.target === 'ladder:diagnosis')!;
      expect(main.events.map((e) => e.key)).not.toContain('breach:onsite');

      await visit(c, null);
      await visit(c, plus(openedAt, 21 * H));
      const after = await byTarget(c.caseId);
      expect(after.onsite).toMatchObject({ state: 'stopped', stop_reason: 'arrived', next_due_at: null });
      expect(after['ladder:diagnosis']).toMatchObject({ state: 'running' });
    });

    it('a remote case has no on-site clock until someone is dispatched; the dispatch starts it, counted from the report', async () => {
      const openedAt = ago(2 * H);
      const c = await open({ severity: 'P2', openedAt });
      expect(Object.keys(await byTarget(c.caseId))).toEqual(['ladder:diagnosis']);
      await visit(c, null);
      const rows = await byTarget(c.caseId);
      expect(rows.onsite).toMatchObject({ state: 'running' });
      expect(new Date(rows.onsite.started_at).toISOString()).toBe(openedAt);
      expect(new Date(rows.onsite.due_at).toISOString()).toBe(plus(openedAt, 24 * H));
      await visit(c, null); // another visit update: still one on-site clock
      expect(Object.keys(await byTarget(c.caseId)).sort()).toEqual(['ladder:diagnosis', 'onsite']);
    });

    it('a dispatch during a wait on the customer starts the on-site clock paused (the waits so far are its own); its breach moves by the wait', async () => {
      const openedAt = ago(3 * H);
      const c = await open({ severity: 'P2', openedAt }); // ladder B: on site within 24 h, pauses on the customer
      await status(c, 'assigned', 'waiting-customer', plus(openedAt, 30 * MIN));
      await status(c, 'waiting-customer', 'in-progress', plus(openedAt, 45 * MIN));
      await status(c, 'in-progress', 'waiting-customer', plus(openedAt, 1 * H));
      const dispatchedAt = time.now().getTime();
      await visit(c, null);
      const paused = await byTarget(c.caseId);
      expect(paused.onsite).toMatchObject({ state: 'running', next_due_at: null });
      expect(iso(paused.onsite.paused_since)).toBe(plus(openedAt, 1 * H));
      const pauses = await t.service.runtime.dataSource.query(
        `SELECT from_at, to_at, reason FROM "${t.schema}".clock_pauses WHERE clock_id = $1 ORDER BY from_at`,
        [paused.onsite.id],
      );
      expect(pauses.map((p: { from_at: Date; to_at: Date | null }) => [iso(p.from_at), iso(p.to_at)])).toEqual([
        [plus(openedAt, 30 * MIN), plus(openedAt, 45 * MIN)],
        [plus(openedAt, 1 * H), null],
      ]);
      // as planned at the dispatch: 24 h + the 15-min wait + the open wait as if it ended then
      const due = new Date(paused.onsite.due_at).getTime();
      expect(due).toBeGreaterThanOrEqual(
        new Date(plus(openedAt, 24 * H + 15 * MIN)).getTime() + dispatchedAt - new Date(plus(openedAt, 1 * H)).getTime(),
      );
      expect(due).toBeLessThan(new Date(plus(openedAt, 26 * H + 15 * MIN + 1 * MIN)).getTime());

      // the customer answers: both clocks resume, the on-site breach moves by both waits
      const answeredAt = ago(0);
      await status(c, 'waiting-customer', 'in-progress', answeredAt);
      const resumed = await byTarget(c.caseId);
      expect(resumed.onsite.paused_since).toBeNull();
      expect(resumed['ladder:diagnosis'].paused_since).toBeNull();
      const onsite = (await timeline(c.caseId)).find((k) => k.target === 'onsite')!;
      const waited = new Date(answeredAt).getTime() - new Date(plus(openedAt, 1 * H)).getTime() + 15 * MIN;
      expect(onsite.events.find((e) => e.key === 'breach:onsite')!.dueAt).toBe(plus(openedAt, 24 * H + waited));
      expect(iso(resumed.onsite.next_due_at)).toBe(plus(openedAt, 19.2 * H + waited));
    });
  });

  describe('one clock per case and target: response and e-mail reply, stopped by the first response', () => {
    it('a ladder-A e-mail case has its own e-mail-reply clock: warning and breach if nobody answers; the main clock fires none of it', async () => {
      const c = await open({
        severity: 'P4',
        openedAt: ago(25 * H),
        channel: 'email',
        contract: { contractId: 'K-A', coverage: '7x24', policyId: 'ladder-a' },
      });
      const rows = await byTarget(c.caseId);
      expect(Object.keys(rows).sort()).toEqual(['email-reply', 'ladder:resolution']);
      expect(iso(rows['email-reply'].due_at)).toBe(plus(c.openedAt, 24 * H));
      await waitFor('the e-mail-reply warning and breach', () => (firedBy(rows['email-reply'].id).length === 2 ? true : undefined));
      expect(firedBy(rows['email-reply'].id)).toEqual(['warning:email-reply', 'breach:email-reply']);
      // the main clock: ladder A's resolution target and rungs (P4: 12 h and 24 h), no e-mail reply
      await waitFor('the ladder rungs', () => (firedFor(c.caseId, 'escalation.rung.reached.v1').length === 2 ? true : undefined));
      expect(firedBy(rows['ladder:resolution'].id).sort()).toEqual(['breach:resolution', 'rung:0', 'rung:1', 'warning:resolution']);
    });

    it('a phone case under ladder A gets no e-mail-reply clock', async () => {
      const c = await open({
        severity: 'P4',
        openedAt: ago(25 * H),
        channel: 'phone',
        contract: { contractId: 'K-A', coverage: '7x24', policyId: 'ladder-a' },
      });
      const rows = await byTarget(c.caseId);
      expect(Object.keys(rows)).toEqual(['ladder:resolution']);
      await waitFor('the ladder rungs', () => (firedFor(c.caseId, 'escalation.rung.reached.v1').length === 2 ? true : undefined));
      expect(firedBy(rows['ladder:resolution'].id)).not.toContain('warning:email-reply');
    });

    it('the first response stops the e-mail-reply clock where it was answered (a wait open then ends there); the main clock runs on', async () => {
      const openedAt = ago(20 * H); // warning at 80 % of 24 h (19.2 h) already due, breach in 4 h
      const c = await open({
        severity: 'P3',
        openedAt,
        channel: 'email',
        contract: { contractId: 'K-A', coverage: '7x24', policyId: 'ladder-a' },
      });
      const { 'email-reply': reply } = await byTarget(c.caseId);
      await waitFor('the e-mail-reply warning', () => (firedBy(reply.id).length === 1 ? true : undefined));
      // a wait on the customer pauses every running clock of the case
      await status(c, 'assigned', 'waiting-customer', plus(openedAt, 19.5 * H));
      const waiting = await byTarget(c.caseId);
      expect([iso(waiting['ladder:resolution'].paused_since), iso(waiting['email-reply'].paused_since)]).toEqual([
        plus(openedAt, 19.5 * H),
        plus(openedAt, 19.5 * H),
      ]);

      const answeredAt = plus(openedAt, 19.75 * H);
      await responded(c, answeredAt);
      await responded(c, answeredAt); // redelivered: the same clocks
      const after = await byTarget(c.caseId);
      expect(after['email-reply']).toMatchObject({ state: 'stopped', stop_reason: 'responded', next_due_at: null, paused_since: null });
      expect(iso(after['email-reply'].stopped_at)).toBe(answeredAt);
      expect(after['ladder:resolution']).toMatchObject({ state: 'running', stop_reason: null });
      expect(iso(after['ladder:resolution'].paused_since)).toBe(plus(openedAt, 19.5 * H));
      const [pause] = await t.service.runtime.dataSource.query(`SELECT to_at FROM "${t.schema}".clock_pauses WHERE clock_id = $1`, [
        reply.id,
      ]);
      expect(iso(pause.to_at)).toBe(answeredAt);
      const replyTimeline = (await timeline(c.caseId)).find((k) => k.target === 'email-reply')!;
      expect(replyTimeline.events.map((e) => [e.key, e.status])).toEqual([
        ['warning:email-reply', 'fired'],
        ['breach:email-reply', 'stopped'], // never: the clock stopped before
      ]);
      // the wait ends: only the main clock resumes
      await status(c, 'waiting-customer', 'in-progress', ago(0));
      expect((await byTarget(c.caseId))['email-reply']).toMatchObject({ state: 'stopped', paused_since: null });
      expect(firedBy(reply.id)).toEqual(['warning:email-reply']);
    });

    describe('a policy with a response target', () => {
      let policyId: string;
      beforeAll(async () => {
        const base = (await t.http('GET', '/policies/ladder-b')).body;
        policyId = `fast-answer-${randomUUID().slice(0, 8)}`;
        const p = { ...structuredClone(base), id: policyId, name: 'ladder B with a response target' };
        delete p.version;
        p.severities.P1.targets.response = 5; // answered within 5 min
        p.severities.P2.targets.response = 0.03; // 1.8 s: lets the test see that nothing fires after the answer
        expect((await t.http('POST', '/policies', { body: p, role: 'admin' })).status).toBe(201);
      });
      const openUnder = (severity: 'P1' | 'P2', openedAt: string) =>
        open({ severity, openedAt, channel: 'portal', contract: { contractId: 'K-R', coverage: '7x24', policyId } });

      it('the response clock breaches on its own; after the answer it stops while the ladder rungs keep firing', async () => {
        const openedAt = ago(10 * MIN - 2_000); // response breached (5 min), Manager1 (10 min) due in 2 s
        const c = await openUnder('P1', openedAt);
        const rows = await byTarget(c.caseId);
        expect(Object.keys(rows).sort()).toEqual(['downtime', 'ladder:diagnosis', 'response']); // a P1 under a contract: its downtime too
        expect(iso(rows.response.due_at)).toBe(plus(openedAt, 5 * MIN));
        await waitFor('the response warning and breach', () => (firedBy(rows.response.id).length === 2 ? true : undefined));
        expect(firedBy(rows.response.id)).toEqual(['warning:response', 'breach:response']);
        expect(firedFor(c.caseId, 'escalation.rung.reached.v1')).toHaveLength(0);

        await responded(c, ago(0));
        expect((await byTarget(c.caseId)).response).toMatchObject({ state: 'stopped', stop_reason: 'responded', next_due_at: null });
        time.advance(2_000);
        const manager1 = await waitFor('Manager1 on the main clock', () => firedFor(c.caseId, 'escalation.rung.reached.v1')[0]);
        expect(manager1.data).toMatchObject({ clockId: rows['ladder:diagnosis'].id, rungIndex: 0, dueAt: plus(openedAt, 10 * MIN) });
        expect(firedBy(rows['ladder:diagnosis'].id)).not.toContain('breach:response');
        expect(firedBy(rows.response.id)).toHaveLength(2);
      });

      it('answered before the breach: nothing more fires on the response clock', async () => {
        const c = await openUnder('P2', ago(0));
        const { response } = await byTarget(c.caseId);
        await responded(c, ago(0));
        expect((await byTarget(c.caseId)).response).toMatchObject({ state: 'stopped', stop_reason: 'responded' });
        time.advance(2_500); // past the 1.8-s breach
        await settle();
        expect(firedBy(response.id)).toEqual([]);
      });

      it('a reopen starts the ladder (and downtime) clock again, not the response clock (the first response is once per case)', async () => {
        const openedAt = ago(2 * H);
        const c = await openUnder('P1', openedAt);
        await responded(c, plus(openedAt, 1 * MIN));
        await status(c, 'in-progress', 'resolved', plus(openedAt, 1 * H));
        await status(c, 'resolved', 'reopened', ago(0));
        const rows = (await clocks(c.caseId)) as ClockRow[];
        expect(rows.map((r) => [r.episode, r.target, r.state, r.stop_reason]).sort()).toEqual([
          [1, 'downtime', 'stopped', 'resolved'],
          [1, 'ladder:diagnosis', 'stopped', 'resolved'],
          [1, 'response', 'stopped', 'responded'],
          [2, 'downtime', 'running', null],
          [2, 'ladder:diagnosis', 'running', null],
        ]);
      });
    });
  });
});
