import { EventEnvelope } from '@aftersales/contracts';
import { ManualClock } from '@aftersales/platform';
import { deliver, nth, outboxRelayed, TestService, upstreamEvent, waitFor } from '@aftersales/testing';
import { Registry } from 'prom-client';
import { EntityManager } from 'typeorm';
import { BurstStaging, BurstStagingOptions, LateStaging, StagedFiring } from '../src/clocks/burst-staging';
import { ClockFiringLoop } from '../src/clocks/clock-firing.loop';
import { ClockRepository } from '../src/clocks/clock.repository';
import { startEscalationService } from './escalation-harness';

const WINDOW_MS = 500;
/** Ladder B P3 on 7x24: the diagnosis warning is due 192 minutes after the start. */
const WARN_MS = 192 * 60_000;

/** `n` running ladder-B P3 clocks whose next event (the diagnosis warning) is due in [from, from + spreadMs). */
async function loadClocks(t: TestService, n: number, from: number, spreadMs: number, m?: EntityManager): Promise<string[]> {
  return (await loadClockRows(t, n, from, spreadMs, m)).map((r) => r.id);
}

async function loadClockRows(
  t: TestService,
  n: number,
  from: number,
  spreadMs: number,
  m: EntityManager = t.service.runtime.dataSource.manager,
): Promise<Array<{ id: string; case_id: string }>> {
  return m.query(
    `INSERT INTO "${t.schema}".sla_clocks (id, case_id, region, severity, target, episode, state, started_at, due_at, next_due_at,
                                          policy_id, policy_version, calendar_id)
     SELECT gen_random_uuid(), gen_random_uuid(), 'north', 'P3', 'ladder', 1, 'running',
            to_timestamp((d - $3) / 1000.0), to_timestamp((d - $3 + 240 * 60000) / 1000.0), to_timestamp(d / 1000.0), 'ladder-b', 1, '7x24'
       FROM (SELECT $1::float8 + floor(i * $4::float8 / $2) AS d FROM generate_series(0, $2 - 1) AS i) c
     RETURNING id, case_id`,
    [from, n, WARN_MS, spreadMs],
  );
}

async function firings(t: TestService, ids: string[]): Promise<Array<{ clock_id: string; fired_at: Date; due_at: Date }>> {
  return t.service.runtime.dataSource.query(
    `SELECT clock_id, fired_at, due_at FROM "${t.schema}".clock_firings WHERE clock_id = ANY($1::uuid[])`,
    [ids],
  );
}

/** Fired once each, never before its due time and at most a window after it. */
function expectFiredOnceInWindow(rows: Array<{ clock_id: string; fired_at: Date; due_at: Date }>, n: number): void {
  expect(rows).toHaveLength(n);
  expect(new Set(rows.map((r) => r.clock_id)).size).toBe(n);
  for (const r of rows) {
    const late = r.fired_at.getTime() - r.due_at.getTime();
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThanOrEqual(WINDOW_MS);
  }
}

const eventsOf = (events: EventEnvelope[], ids: string[]) =>
  events.filter((e) => ids.includes((e.data as { clockId?: string }).clockId ?? ''));

describe("burst staging in the firing loop: a dense window is written ahead and committed at the window's end (real PostgreSQL)", () => {
  let t: TestService;
  let events: EventEnvelope[];
  let loop: ClockFiringLoop;
  const clock = new ManualClock('2026-03-02T08:00:00Z');
  /** the start of the window `k` windows after the current one */
  const windowAt = (k: number) => (Math.floor(clock.now().getTime() / WINDOW_MS) + k) * WINDOW_MS;
  beforeAll(async () => {
    ({ t, events, loop } = await startEscalationService({
      clock,
      env: {
        DB_POOL_SIZE: '8',
        ESCALATION_FIRING_INTERVAL_MS: '50',
        ESCALATION_FIRING_BATCH: '250',
        ESCALATION_FIRING_LOOKAHEAD_MS: '8000',
        ESCALATION_FIRING_WINDOW_MS: String(WINDOW_MS),
        ESCALATION_FIRING_DENSE: '40',
        ESCALATION_FIRING_STAGED: '3',
        ESCALATION_FIRING_STAGE_BATCH: '60',
        ESCALATION_FIRING_STAGE_CHUNK: '20',
      },
    }));
  });
  afterAll(async () => {
    clock.advance(60_000); // past any window still held, so the service stops at once
    await t.stop();
  });

  it('fires every clock of a burst once, nothing before the window, everything at most one window after its due time', async () => {
    // 150 clocks due within one window 2.5 s ahead: more than one staged batch (60) holds
    const windowStart = windowAt(5);
    const before = { ...loop.staging.stats };
    const ids = await loadClocks(t, 150, windowStart, WINDOW_MS);
    await loop.staging.scan(); // (it also scans on its own timer)
    await waitFor('two batches written and held', () => (loop.staging.holding === 2 ? true : undefined));

    // held, not visible: nothing fired up to the window's start
    clock.set(new Date(windowStart - 1));
    await loop.fireDue();
    expect(await firings(t, ids)).toHaveLength(0);

    clock.set(new Date(windowStart + WINDOW_MS));
    await loop.fireDue();
    expectFiredOnceInWindow(await firings(t, ids), 150);
    // the staged batches did the work; the 30 clocks left over went to the due-now workers
    expect(loop.staging.stats.committed - before.committed).toBe(2);
    expect(loop.staging.stats.events - before.events).toBe(120);
    await outboxRelayed(t);
    expect(eventsOf(events, ids).filter((e) => e.type === 'escalation.warning.v1')).toHaveLength(150);
  });

  it('gives every dense window of a burst a batch before any window a second one, so slots do not run out on the first windows', async () => {
    // three windows of 110 clocks (two batches of 60 each would take six slots; there are three)
    const first = windowAt(9);
    const starts = [first, first + WINDOW_MS, first + 2 * WINDOW_MS];
    // in one transaction: a scan that saw only the first windows would rightly give them the slots
    // (the burst's clocks were started long before it falls due, so a scan sees the whole of it)
    const ids = await t.service.runtime.dataSource.transaction(async (m) => {
      const all: string[] = [];
      for (const w of starts) all.push(...(await loadClocks(t, 110, w, WINDOW_MS, m)));
      return all;
    });
    await loop.staging.scan();
    await waitFor('three batches held', () => (loop.staging.holding === 3 ? true : undefined));
    const staged = (w: number) => loop.staging.trace.filter((tr) => tr.windowStart === w && tr.claimed > 0);
    expect(starts.map((w) => staged(w).length)).toEqual([1, 1, 1]);

    for (const w of starts) {
      clock.set(new Date(w + WINDOW_MS));
      await loop.fireDue();
    }
    expectFiredOnceInWindow(await firings(t, ids), 330);
    for (const w of starts) expect(staged(w).map((b) => b.outcome)).toEqual(['committed']);
  });

  it('a pause for a clock of a held batch gets through while the window is still ahead; the batch yields and the rest fire once', async () => {
    const windowStart = windowAt(7);
    const before = { ...loop.staging.stats };
    const rows = await loadClockRows(t, 100, windowStart, WINDOW_MS);
    const ids = rows.map((r) => r.id);
    await loop.staging.scan();
    await waitFor('the window written and held', () => (loop.staging.holding === 2 ? true : undefined));

    // the customer is asked for something (ladder B pauses on the customer). The clock stands still,
    // so a pause blocked by the held batch would wait for ever: it commits only if the batch yields
    const paused = nth(rows, 0);
    let committed = false;
    const delivered = deliver(
      t.bus,
      upstreamEvent('case.status.changed.v1', paused.case_id, {
        caseId: paused.case_id,
        caseNumber: 'NORTH-2026-000001',
        region: 'north',
        customerId: 'C-1',
        severity: 'P3',
        from: 'in-progress',
        to: 'waiting-customer',
        actor: { subject: 'eng-1', role: 'engineer' },
        at: clock.now().toISOString(),
      }),
    ).then(() => (committed = true));
    await waitFor('the pause committed before the window', () => committed || undefined, { timeoutMs: 10_000 });
    await delivered;
    expect(loop.staging.stats.yielded - before.yielded).toBeGreaterThanOrEqual(1);

    clock.set(new Date(windowStart + WINDOW_MS));
    await loop.fireDue();
    const fired = await firings(t, ids);
    expectFiredOnceInWindow(fired, 99); // every clock once, but the paused one
    expect(fired.map((r) => r.clock_id)).not.toContain(paused.id);
    const [row] = await t.service.runtime.dataSource.query(`SELECT paused_since, next_due_at FROM "${t.schema}".sla_clocks WHERE id = $1`, [
      paused.id,
    ]);
    expect(row.paused_since).not.toBeNull();
    expect(row.next_due_at).toBeNull();
  });
});

/**
 * The staging rules one at a time: the loop's own staging is off, and each test stages through a
 * BurstStaging of its own, wired to the loop's firing through `through` (which may let time pass
 * while a chunk is written: the machine under load).
 */
describe('burst staging: due-now work first, write budgets, late batches (real PostgreSQL)', () => {
  let t: TestService;
  let events: EventEnvelope[];
  let loop: ClockFiringLoop;
  const clock = new ManualClock('2026-03-02T08:00:00Z');
  beforeAll(async () => {
    ({ t, events, loop } = await startEscalationService({
      clock,
      env: {
        DB_POOL_SIZE: '8',
        ESCALATION_FIRING_INTERVAL_MS: '50',
        ESCALATION_FIRING_BATCH: '250',
        ESCALATION_FIRING_LOOKAHEAD_MS: '0',
      },
    }));
  });
  afterEach(() => loop.start());
  afterAll(() => t.stop());

  const stagingOf = (firing: StagedFiring, o: Partial<BurstStagingOptions> = {}) =>
    new BurstStaging(
      {
        dataSource: t.service.runtime.dataSource,
        clocks: t.service.app.get(ClockRepository),
        lookaheadMs: 8000,
        windowMs: WINDOW_MS,
        denseClocks: 40,
        slots: 3,
        batchSize: 60,
        chunkSize: 20,
        writers: 2,
        intervalMs: 50,
        registry: new Registry(),
        clock,
        ...o,
      },
      firing,
    );
  /** The loop's firing; `during(call)` runs before each staged chunk is written. */
  const through = (during?: (call: number) => void | Promise<void>): StagedFiring => {
    let calls = 0;
    return {
      fireClaimed: async (m, clocks, upTo, firedAt) => {
        await during?.(calls++);
        return loop.fireClaimed(m, clocks, upTo, firedAt);
      },
      count: (fired, committedAt, path) => loop.count(fired, committedAt, path),
      dueNowLagMs: () => loop.dueNowLagMs(),
    };
  };
  const stillDue = async (ids: string[]): Promise<number> =>
    (
      await t.service.runtime.dataSource.query(
        `SELECT count(*)::int AS n FROM "${t.schema}".sla_clocks WHERE id = ANY($1::uuid[]) AND next_due_at <= $2`,
        [ids, clock.now()],
      )
    )[0].n;

  it('lets an overdue backlog go first: the burst ahead is written after the due-now workers caught up, and still fires on time', async () => {
    await loop.stop(); // the backlog builds up while the loop is down (an outage, a restart)
    const backlog = await loadClocks(t, 2_000, clock.now().getTime() - 60_000, 30_000);
    const windowStart = (Math.floor(clock.now().getTime() / WINDOW_MS) + 15) * WINDOW_MS; // 7.5 s ahead
    const burst = await loadClocks(t, 100, windowStart, WINDOW_MS);
    let dueAtFirstWrite: number | undefined;
    const staging = stagingOf(
      through(async () => {
        dueAtFirstWrite ??= await stillDue(backlog);
      }),
    );
    loop.start();
    staging.start();
    try {
      await waitFor('the burst written and held', () => (staging.holding === 2 ? true : undefined), { timeoutMs: 30_000 });
      // no staged write while the workers still had overdue clocks to claim
      expect(dueAtFirstWrite).toBe(0);
      expect(staging.stats.deferredMs).toBeGreaterThan(0);
    } finally {
      clock.set(new Date(windowStart + WINDOW_MS)); // held batches commit (or, failed, let go) at their window's end
      await staging.stop();
    }
    await loop.fireDue();
    expect(await firings(t, backlog)).toHaveLength(2_000);
    expect(staging.stats.committed).toBe(2);
    expectFiredOnceInWindow(await firings(t, burst), 100);
  });

  it('a batch without time for all its chunks commits the written ones on time; the due-now workers fire the rest, each once', async () => {
    await loop.stop(); // the rest must wait for the due-now workers, started again below
    const windowStart = clock.now().getTime() + 1500;
    const windowEnd = windowStart + WINDOW_MS;
    const ids = await loadClocks(t, 60, windowStart, WINDOW_MS); // one batch, three chunks of 20
    // the first chunk takes 1.4 s to write (a machine under load): measured, that makes the next
    // chunk too slow to be written by the window's end (twice the measured time, as budgeted)
    const staging = stagingOf(through((call) => (call === 0 ? clock.advance(1_400) : undefined)));
    const staged = staging.stageWindow({ windowStart, claimed: 0, left: 60 });
    await waitFor('the written chunk held', () => (staging.holding === 1 ? true : undefined));
    clock.set(new Date(windowEnd));
    await staged;
    expect(staging.stats).toMatchObject({ partial: 1, committed: 0, events: 20 });
    const early = await firings(t, ids);
    expect(early).toHaveLength(20); // the first chunk, committed at the window's end
    for (const r of early) expect(r.fired_at.getTime()).toBe(windowEnd);

    loop.start();
    await loop.fireDue();
    expectFiredOnceInWindow(await firings(t, ids), 60);
    await outboxRelayed(t);
    expect(eventsOf(events, ids)).toHaveLength(60);
  });

  it('claims nothing for a window there is no time left to write, does not stage it again, and the due-now workers fire it once', async () => {
    // chunks measured at a second a clock: 20 clocks need 40 s, the window is 3 s ahead
    const staging = stagingOf(through(), { initialMsPerClock: 1000 });
    const windowStart = (Math.floor(clock.now().getTime() / WINDOW_MS) + 6) * WINDOW_MS;
    const ids = await loadClocks(t, 50, windowStart, WINDOW_MS);
    await staging.scan();
    await staging.settled();
    expect(staging.stats.skipped).toBe(1);
    // held nothing: the clocks are free to claim while the window is still ahead
    const free: Array<{ id: string }> = await t.service.runtime.dataSource.transaction((m) =>
      m.query(`SELECT id FROM "${t.schema}".sla_clocks WHERE id = ANY($1::uuid[]) FOR UPDATE SKIP LOCKED`, [ids]),
    );
    expect(free).toHaveLength(50);
    // the next scan sees the window again and leaves it alone
    await staging.scan();
    await staging.settled();
    expect(staging.stats.skipped).toBe(1);
    expect(staging.trace.filter((tr) => tr.windowStart === windowStart).map((tr) => [tr.outcome, tr.claimed])).toEqual([['skipped', 0]]);

    clock.set(new Date(windowStart + WINDOW_MS));
    await loop.fireDue();
    expectFiredOnceInWindow(await firings(t, ids), 50);
    await outboxRelayed(t);
    expect(eventsOf(events, ids)).toHaveLength(50);
  });

  it('rolls back a batch that is written after its window end; the due-now workers fire it once', async () => {
    await loop.stop(); // keep the due-now workers away while the late batch is tried
    const windowStart = clock.now().getTime() + 100;
    const ids = await loadClocks(t, 50, windowStart, WINDOW_MS);
    // the budget says a chunk fits, but writing it takes the clock past the window's end (a stall)
    const staging = stagingOf(through(() => clock.advance(WINDOW_MS + 300)));
    await expect(staging.stageWindow({ windowStart, claimed: 0, left: 50 })).rejects.toBeInstanceOf(LateStaging);
    expect(await firings(t, ids)).toHaveLength(0);
    expect(await stillDue(ids)).toBe(50);

    loop.start();
    await loop.fireDue();
    expect(await firings(t, ids)).toHaveLength(50);
    await outboxRelayed(t);
    expect(eventsOf(events, ids)).toHaveLength(50);
  });
});
