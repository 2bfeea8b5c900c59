import { EventEnvelope } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import {
  caseOpened,
  deliver,
  outboxRelayed,
  recordTopic,
  startTestService,
  TestService,
  upstreamEvent,
  waitFor,
} from '@aftersales/testing';
import { ClockFiringLoop } from '../src/clocks/clock-firing.loop';
import { escalationService } from '../src/escalation.service-definition';
import { startEscalationService } from './escalation-harness';

const MIN = 60_000;
/** Ladder B, P1, 7x24, opened 5 h ago: diagnosis warning (8 min), breach (10 min), rungs 0 (10 min), 1 (1 h), 2 (4 h, vendor). */
const DUE_KEYS_P1_5H = ['breach:diagnosis', 'rung:0', 'rung:1', 'rung:2', 'warning:diagnosis'];

async function firings(
  t: TestService,
  clockIds?: string[],
): Promise<Array<{ clock_id: string; event_key: string; fired_at: Date; due_at: Date }>> {
  return t.service.runtime.dataSource.query(
    `SELECT clock_id, event_key, fired_at, due_at FROM "${t.schema}".clock_firings ${clockIds ? 'WHERE clock_id = ANY($1::uuid[])' : ''} ORDER BY event_key`,
    clockIds ? [clockIds] : [],
  );
}

async function clockOf(
  t: TestService,
  caseId: string,
): Promise<{ id: string; next_due_at: Date | null; policy_id: string; policy_version: number }> {
  const rows = await t.service.runtime.dataSource.query(`SELECT * FROM "${t.schema}".sla_clocks WHERE case_id = $1`, [caseId]);
  return rows[0];
}

function fired(events: EventEnvelope[], caseId?: string): EventEnvelope[] {
  return events.filter((e) => e.type !== 'escalation.clock.started.v1' && (caseId === undefined || e.subject === caseId));
}

describe('escalation firing loop: due rungs fire promptly and exactly once (real PostgreSQL)', () => {
  let t: TestService;
  let loop: ClockFiringLoop;
  let events: EventEnvelope[];
  const clock = new ManualClock('2026-03-02T08:00:00Z');
  beforeAll(async () => {
    ({ t, events, loop } = await startEscalationService({ clock }));
  });
  afterAll(() => t.stop());

  it('fires the overdue warning, breach and rungs of a P1 opened 5 hours ago, once each, by itself', async () => {
    const openedAt = new Date(clock.now().getTime() - 5 * 60 * MIN);
    const opened = caseOpened({ severity: 'P1', openedAt: openedAt.toISOString() });
    const event = upstreamEvent('case.opened.v1', opened.caseId, opened);
    await deliver(t.bus, event);
    await deliver(t.bus, event); // redelivered: still one clock

    const clockRow = await clockOf(t, opened.caseId);
    expect(clockRow).toMatchObject({ policy_id: 'ladder-b', policy_version: 1 });
    // the running loop picks them up on its own (nothing calls it here)
    await waitFor('five firings', async () => ((await firings(t, [clockRow.id])).length === 5 ? true : undefined));
    // the loop again and again at the same time: nothing fires twice
    expect(await loop.fireDue()).toBe(0);
    await outboxRelayed(t);

    const rows = await firings(t, [clockRow.id]);
    expect(rows.map((r) => r.event_key)).toEqual(DUE_KEYS_P1_5H);
    const byKey = new Map(rows.map((r) => [r.event_key, r]));
    expect(byKey.get('rung:1')?.due_at.toISOString()).toBe(new Date(openedAt.getTime() + 60 * MIN).toISOString());
    expect(byKey.get('warning:diagnosis')?.due_at.toISOString()).toBe(new Date(openedAt.getTime() + 8 * MIN).toISOString());
    for (const r of rows) expect(r.fired_at.toISOString()).toBe(clock.now().toISOString()); // stamped by the service's clock

    const mine = fired(events, opened.caseId);
    const types = mine.map((e) => e.type).sort();
    expect(types).toEqual([
      'escalation.rung.reached.v1',
      'escalation.rung.reached.v1',
      'escalation.rung.reached.v1',
      'escalation.target.breached.v1',
      'escalation.vendor-case.required.v1',
      'escalation.warning.v1',
    ]);
    const rungs = mine.filter((e) => e.type === 'escalation.rung.reached.v1').map((e) => e.data as any);
    expect(rungs.map((r) => [r.rungIndex, r.notifyRoles])).toEqual([
      [0, ['manager1', 'senior-engineer']],
      [1, ['manager2']],
      [2, ['vendor']],
    ]);
    expect(rungs[2]).toMatchObject({ action: 'open-vendor-case', policyId: 'ladder-b', policyVersion: 1, target: 'diagnosis' });

    // next: Manager3 at 24 h (a remote case has no on-site clock, so no on-site warning in between)
    expect((await clockOf(t, opened.caseId)).next_due_at?.toISOString()).toBe(new Date(openedAt.getTime() + 24 * 60 * MIN).toISOString());

    // a clock claimed again (e.g. next_due_at rewound by a crash or a re-plan) fires nothing twice
    await t.service.runtime.dataSource.query(`UPDATE "${t.schema}".sla_clocks SET next_due_at = started_at WHERE id = $1`, [clockRow.id]);
    await loop.fireDue();
    expect((await clockOf(t, opened.caseId)).next_due_at?.toISOString()).toBe(new Date(openedAt.getTime() + 24 * 60 * MIN).toISOString());
    await outboxRelayed(t);
    expect(await firings(t, [clockRow.id])).toHaveLength(5);
    expect(fired(events, opened.caseId)).toHaveLength(6);

    const metrics = await t.service.runtime.metrics.registry.metrics();
    expect(metrics).toMatch(/aftersales_escalation_rungs_fired_total\{severity="P1",rung="2"[^}]*\} 1/);
    expect(metrics).toMatch(/aftersales_escalation_firing_lateness_seconds_count\{[^}]*\} 5/);
  });

  it('fires nothing before its due time, and the warning at its due time', async () => {
    const opened = caseOpened({ severity: 'P4', openedAt: clock.now().toISOString() });
    await deliver(t.bus, upstreamEvent('case.opened.v1', opened.caseId, opened));
    const row = await clockOf(t, opened.caseId);
    const warnAt = new Date(opened.openedAt).getTime() + 0.8 * 24 * 60 * MIN; // P4: diagnosis in 24 h, warning at 80 %
    expect(row.next_due_at?.getTime()).toBe(warnAt);

    await loop.fireDue();
    clock.set(new Date(warnAt - 1));
    await loop.fireDue();
    expect(await firings(t, [row.id])).toHaveLength(0);

    clock.set(new Date(warnAt));
    await loop.fireDue();
    const rows = await firings(t, [row.id]);
    expect(rows.map((r) => [r.event_key, r.fired_at.getTime()])).toEqual([['warning:diagnosis', warnAt]]);
  });
});

describe('escalation firing loop: two replicas on one schema fire each rung exactly once', () => {
  let a: TestService;
  let b: TestService;
  let recorded: () => EventEnvelope[];
  const clock = new ManualClock('2026-03-02T08:00:00Z');
  beforeAll(async () => {
    // one bus per replica (an in-process bus allows one subscriber per group); what either
    // replica's relay publishes is recorded
    const busA = new InProcessBus();
    const busB = new InProcessBus();
    const recA = await recordTopic(busA, 'aftersales.escalation.events.v1');
    const recB = await recordTopic(busB, 'aftersales.escalation.events.v1');
    recorded = () => [...recA, ...recB];
    const env = { ESCALATION_FIRING_INTERVAL_MS: '10', ESCALATION_FIRING_BATCH: '3' };
    a = await startTestService(escalationService, { bus: busA, env, clock });
    b = await startTestService(escalationService, { bus: busB, env, clock, schema: a.schema });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  it('shares the due clocks without doubling a firing; both replicas fire some', async () => {
    const n = 30;
    const openedAt = clock.now().toISOString();
    const cases = Array.from({ length: n }, () => caseOpened({ severity: 'P1', openedAt }));
    await Promise.all(cases.map((c, i) => deliver((i % 2 ? a : b).bus, upstreamEvent('case.opened.v1', c.caseId, c))));
    const [loopA, loopB] = [a.service.app.get(ClockFiringLoop), b.service.app.get(ClockFiringLoop)];
    expect(await firings(a)).toHaveLength(0); // nothing due yet

    // five hours later the 30 clocks are due at once: both replicas' loops (their workers and a
    // direct pass each) race for them, three clocks a claim
    clock.advanceMinutes(5 * 60);
    await Promise.all([loopA.fireDue(), loopB.fireDue()]);
    await Promise.all([loopA.fireDue(), loopB.fireDue()]);
    expect(await firings(a)).toHaveLength(n * 5);
    await outboxRelayed(a);
    await outboxRelayed(b);

    const all = fired(recorded());
    expect(all).toHaveLength(n * 6);
    const keys = all.map((e) => `${e.type}|${(e.data as any).clockId}|${(e.data as any).eventKey}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(all.filter((e) => e.type === 'escalation.rung.reached.v1')).toHaveLength(n * 3);
    // and the outbox holds each event once (one relay leads, so what is recorded is what was appended)
    const [{ count: outboxed }] = await a.service.runtime.dataSource.query(
      `SELECT count(*)::int AS count FROM "${a.schema}".outbox WHERE event_type <> 'escalation.clock.started.v1'`,
    );
    expect(outboxed).toBe(n * 6);

    // both replicas did some of the work (counters live in each replica's registry)
    const count = async (t: TestService) =>
      (await t.service.runtime.metrics.registry.getSingleMetric('aftersales_escalation_rungs_fired_total')!.get()).values.reduce(
        (s, v) => s + v.value,
        0,
      );
    const [ca, cb] = [await count(a), await count(b)];
    expect(ca).toBeGreaterThan(0);
    expect(cb).toBeGreaterThan(0);
    expect(ca + cb).toBe(n * 3);
  });
});
