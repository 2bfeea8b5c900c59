import { EventEnvelope } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
import { caseOpened, deliver, recordTopic, startTestService, TestService, upstreamEvent, waitFor } from '@aftersales/testing';
import { escalationService } from '../src/escalation.service-definition';

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
  let events: EventEnvelope[];
  beforeAll(async () => {
    const bus = new InProcessBus();
    events = await recordTopic(bus, 'aftersales.escalation.events.v1');
    t = await startTestService(escalationService, { bus });
  });
  afterAll(() => t.stop());

  it('fires the overdue warning, breach and rungs of a P1 opened 5 hours ago, once each', async () => {
    const openedAt = new Date(Date.now() - 5 * 60 * MIN);
    const opened = caseOpened({ severity: 'P1', openedAt: openedAt.toISOString() });
    const started = Date.now();
    const event = upstreamEvent('case.opened.v1', opened.caseId, opened);
    await deliver(t.bus, event);
    await deliver(t.bus, event); // redelivered: still one clock

    const clock = await clockOf(t, opened.caseId);
    expect(clock).toMatchObject({ policy_id: 'ladder-b', policy_version: 1 });
    await waitFor('five firings', async () => ((await firings(t, [clock.id])).length === 5 ? true : undefined));
    expect(Date.now() - started).toBeLessThan(3_000);
    await waitFor('six escalation events', () => (fired(events, opened.caseId).length >= 6 ? true : undefined));
    await new Promise((r) => setTimeout(r, 800)); // a few more ticks: nothing fires twice

    const rows = await firings(t, [clock.id]);
    expect(rows.map((r) => r.event_key)).toEqual(DUE_KEYS_P1_5H);
    const byKey = Object.fromEntries(rows.map((r) => [r.event_key, r]));
    expect(byKey['rung:1'].due_at.toISOString()).toBe(new Date(openedAt.getTime() + 60 * MIN).toISOString());
    expect(byKey['warning:diagnosis'].due_at.toISOString()).toBe(new Date(openedAt.getTime() + 8 * MIN).toISOString());

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
    await t.service.runtime.dataSource.query(`UPDATE "${t.schema}".sla_clocks SET next_due_at = started_at WHERE id = $1`, [clock.id]);
    await waitFor('next_due_at recomputed', async () => ((await clockOf(t, opened.caseId)).next_due_at! > new Date() ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(await firings(t, [clock.id])).toHaveLength(5);
    expect(fired(events, opened.caseId)).toHaveLength(6);

    const metrics = await t.service.runtime.metrics.registry.metrics();
    expect(metrics).toMatch(/aftersales_escalation_rungs_fired_total\{severity="P1",rung="2"[^}]*\} 1/);
    expect(metrics).toMatch(/aftersales_escalation_firing_lateness_seconds_count\{[^}]*\} 5/);
  });

  it('does not fire what is not due yet', async () => {
    const opened = caseOpened({ severity: 'P4', openedAt: new Date().toISOString() });
    await deliver(t.bus, upstreamEvent('case.opened.v1', opened.caseId, opened));
    const clock = await clockOf(t, opened.caseId);
    await new Promise((r) => setTimeout(r, 600));
    expect(await firings(t, [clock.id])).toHaveLength(0);
    expect(clock.next_due_at?.getTime()).toBe(new Date(opened.openedAt).getTime() + 0.8 * 24 * 60 * MIN);
  });
});

describe('escalation firing loop: two replicas on one schema fire each rung exactly once', () => {
  let a: TestService;
  let b: TestService;
  let recorded: () => EventEnvelope[];
  beforeAll(async () => {
    // one bus per replica (an in-process bus allows one subscriber per group); what either
    // replica's relay publishes is recorded
    const busA = new InProcessBus();
    const busB = new InProcessBus();
    const recA = await recordTopic(busA, 'aftersales.escalation.events.v1');
    const recB = await recordTopic(busB, 'aftersales.escalation.events.v1');
    recorded = () => [...recA, ...recB];
    const env = { ESCALATION_FIRING_INTERVAL_MS: '10', ESCALATION_FIRING_BATCH: '3' };
    a = await startTestService(escalationService, { bus: busA, env });
    b = await startTestService(escalationService, { bus: busB, env, schema: a.schema });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  it('shares the due clocks without doubling a firing', async () => {
    const n = 30;
    const openedAt = new Date(Date.now() - 5 * 60 * MIN).toISOString();
    const cases = Array.from({ length: n }, () => caseOpened({ severity: 'P1', openedAt }));
    // open them in one burst so both replicas' loops race for them
    await Promise.all(cases.map((c, i) => deliver((i % 2 ? a : b).bus, upstreamEvent('case.opened.v1', c.caseId, c))));

    await waitFor('all firings', async () => ((await firings(a)).length === n * 5 ? true : undefined), { timeoutMs: 15_000 });
    await waitFor('all events', () => (fired(recorded()).length >= n * 6 ? true : undefined), { timeoutMs: 15_000 }).catch(async (e) => {
      const st = await a.service.runtime.dataSource.query(
        `SELECT event_type, sent_at IS NOT NULL AS sent, dead_at IS NOT NULL AS dead, count(*)::int AS n, max(last_error) AS err FROM "${a.schema}".outbox GROUP BY 1,2,3`,
      );
      throw new Error(`${e.message}; recorded ${fired(recorded()).length}; outbox ${JSON.stringify(st)}`);
    });
    await new Promise((r) => setTimeout(r, 800));

    const all = fired(recorded());
    expect(all).toHaveLength(n * 6);
    const keys = all.map((e) => `${e.type}|${(e.data as any).clockId}|${(e.data as any).eventKey}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(all.filter((e) => e.type === 'escalation.rung.reached.v1')).toHaveLength(n * 3);
    expect(await firings(a)).toHaveLength(n * 5);
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
    expect(ca + cb).toBe(n * 3);
    if (process.env.DEBUG_FIRING) console.log(`rungs fired by replica a: ${ca}, b: ${cb}`);
  });
});
