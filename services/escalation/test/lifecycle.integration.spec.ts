import { CaseStatus, EventEnvelope } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
import { caseOpened, deliver, recordTopic, startTestService, TestService, upstreamEvent, waitFor } from '@aftersales/testing';
import { randomUUID } from 'node:crypto';
import { escalationService } from '../src/escalation.service-definition';

const MIN = 60_000;
const H = 60 * MIN;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const plus = (t: string, ms: number) => new Date(new Date(t).getTime() + ms).toISOString();

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
  beforeAll(async () => {
    const bus = new InProcessBus();
    events = await recordTopic(bus, 'aftersales.escalation.events.v1');
    t = await startTestService(escalationService, { bus, env: { ESCALATION_FIRING_INTERVAL_MS: '50' } });
  });
  afterAll(() => t.stop());

  const open = async (over: Parameters<typeof caseOpened>[0]) => {
    const c = caseOpened(over);
    await deliver(t.bus, upstreamEvent('case.opened.v1', c.caseId, c));
    return c;
  };
  const status = (c: ReturnType<typeof caseOpened>, from: CaseStatus, to: CaseStatus, at: string) =>
    deliver(
      t.bus,
      upstreamEvent('case.status.changed.v1', c.caseId, {
        caseId: c.caseId,
        caseNumber: c.caseNumber,
        region: c.region,
        customerId: c.customerId,
        severity: c.severity,
        from,
        to,
        actor: { subject: 'eng-1', role: 'engineer' },
        at,
      }),
    );
  const timeline = async (caseId: string) => {
    const res = await t.http('GET', `/cases/${caseId}/timeline`);
    expect(res.status).toBe(200);
    return res.body.clocks as Array<{ episode: number; state: string; policyVersion: number; events: Entry[] }>;
  };
  const rung = (events: Entry[], i: number) => events.find((e) => e.key === `rung:${i}`)!;
  const clocks = (caseId: string) =>
    t.service.runtime.dataSource.query(`SELECT * FROM "${t.schema}".sla_clocks WHERE case_id = $1 ORDER BY episode`, [caseId]);
  const firedFor = (caseId: string, type: string) => events.filter((e) => e.subject === caseId && e.type === type);

  it('a wait on the customer shifts every later rung by its length; the wait on parts does not (ladder B pauses on customer only)', async () => {
    const openedAt = ago(30 * MIN);
    const c = await open({ severity: 'P2', openedAt });
    await status(c, 'assigned', 'waiting-customer', plus(openedAt, 20 * MIN));
    await status(c, 'waiting-customer', 'in-progress', plus(openedAt, 27 * MIN));
    await status(c, 'in-progress', 'waiting-parts', plus(openedAt, 28 * MIN));
    await status(c, 'waiting-parts', 'in-progress', plus(openedAt, 29 * MIN));
    const [clock] = await timeline(c.caseId);
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
    const [clock] = await timeline(c.caseId);
    expect(rung(clock.events, 0)).toMatchObject({ dueAt: null, status: 'paused' });
    const metrics = await t.service.runtime.metrics.registry.metrics();
    expect(metrics).toMatch(
      /aftersales_escalation_clocks_open\{severity="P1",target="ladder",region="north",state="paused"[^}]*\} [1-9]/,
    );

    // answered after 3 minutes of waiting: Manager1 is now due at 10 + 3 min after opening
    await status(c, 'waiting-customer', 'in-progress', plus(openedAt, 4 * MIN));
    const [after] = await timeline(c.caseId);
    expect(rung(after.events, 0).dueAt).toBe(plus(c.openedAt, 13 * MIN));
  });

  it('resolution stops the clock (nothing fires afterwards); a reopen starts a new episode whose rungs fire again', async () => {
    const openedAt = ago(3 * H);
    const c = await open({ severity: 'P1', openedAt });
    await waitFor('rungs 0 and 1 of episode 1', () => (firedFor(c.caseId, 'escalation.rung.reached.v1').length === 2 ? true : undefined));
    await status(c, 'in-progress', 'resolved', plus(openedAt, 2 * H + 30 * MIN));
    const [stopped] = await clocks(c.caseId);
    expect(stopped).toMatchObject({ state: 'stopped', stop_reason: 'resolved', next_due_at: null });
    await new Promise((r) => setTimeout(r, 300));
    // rung 2 (4 h) would have been due at 4 h: the clock stopped at 2.5 h, so it never fires
    expect(firedFor(c.caseId, 'escalation.rung.reached.v1')).toHaveLength(2);
    const [episode1] = await timeline(c.caseId);
    expect(rung(episode1.events, 2).status).toBe('paused');

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
    await new Promise((r) => setTimeout(r, 200));
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

    const [before] = await timeline(c.caseId);
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
    expect((await timeline(later.caseId))[0].policyVersion).toBe(current.version + 1);
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
    expect((await t.http('PUT', `/regions/${region}/policy`, { role: 'admin', body: { policyId: 'ladder-a' } })).status).toBe(200);
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
    const [clock] = await timeline(c.caseId);
    expect(clock).toMatchObject({ policyVersion: 1 });
    expect(rung(clock.events, 0)).toMatchObject({
      dueAt: new Date('2030-03-05T09:30:00+08:00').toISOString(),
      notifyRoles: ['project-lead'],
    });
    expect(rung(clock.events, 1).dueAt).toBe(new Date('2030-03-05T10:30:00+08:00').toISOString());
  });

  describe('one clock per case and target: the on-site target', () => {
    const visit = (c: ReturnType<typeof caseOpened>, arrivedAt: string | null) =>
      deliver(
        t.bus,
        upstreamEvent('case.visit.updated.v1', c.caseId, {
          caseId: c.caseId,
          caseNumber: c.caseNumber,
          region: c.region,
          customerId: c.customerId,
          visitId: '5f0c2a6e-2b7d-4a55-9a43-3c1f5b0d7e11',
          engineerId: 'fe-zhao',
          plannedArrivalAt: plus(c.openedAt, 2 * H),
          arrivedAt,
          completedAt: null,
        }),
      );
    const byTarget = async (caseId: string) =>
      Object.fromEntries(
        ((await clocks(caseId)) as Array<{ id: string; target: string; started_at: Date; due_at: Date }>).map((r) => [r.target, r]),
      );

    it('an on-site case gets its own on-site clock (warning and breach of that target only); the arrival stops it', async () => {
      const openedAt = ago(20 * H); // P1 ladder B: on site within 24 h, warning at 80 % (19.2 h) — already due
      const c = await open({ severity: 'P1', openedAt, serviceMode: 'on-site' });
      const rows = await byTarget(c.caseId);
      expect(Object.keys(rows).sort()).toEqual(['ladder', 'onsite']);
      const warning = await waitFor('the on-site warning', () =>
        events.find(
          (e) => e.subject === c.caseId && e.type === 'escalation.warning.v1' && (e.data as { target: string }).target === 'onsite',
        ),
      );
      expect((warning.data as { clockId: string }).clockId).toBe(rows.onsite.id);
      const tl = await timeline(c.caseId);
      const onsite = tl.find((k) => (k as unknown as { target: string }).target === 'onsite')!;
      expect(onsite.events.map((e) => e.key)).toEqual(['warning:onsite', 'breach:onsite']);
      const main = tl.find((k) => (k as unknown as { target: string }).target === 'ladder')!;
      expect(main.events.map((e) => e.key)).not.toContain('breach:onsite');

      await visit(c, null);
      await visit(c, plus(openedAt, 21 * H));
      const after = await byTarget(c.caseId);
      expect(after.onsite).toMatchObject({ state: 'stopped', stop_reason: 'arrived', next_due_at: null });
      expect(after.ladder).toMatchObject({ state: 'running' });
    });

    it('a remote case has no on-site clock until someone is dispatched; the dispatch starts it, counted from the report', async () => {
      const openedAt = ago(2 * H);
      const c = await open({ severity: 'P2', openedAt });
      expect(Object.keys(await byTarget(c.caseId))).toEqual(['ladder']);
      await visit(c, null);
      const rows = await byTarget(c.caseId);
      expect(rows.onsite).toMatchObject({ state: 'running' });
      expect(new Date(rows.onsite.started_at).toISOString()).toBe(openedAt);
      expect(new Date(rows.onsite.due_at).toISOString()).toBe(plus(openedAt, 24 * H));
      await visit(c, null); // another visit update: still one on-site clock
      expect(Object.keys(await byTarget(c.caseId)).sort()).toEqual(['ladder', 'onsite']);
    });
  });
});
