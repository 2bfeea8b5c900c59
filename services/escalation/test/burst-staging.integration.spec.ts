import { EventEnvelope } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
import { deliver, recordTopic, startTestService, TestService, upstreamEvent, waitFor } from '@aftersales/testing';
import { EntityManager } from 'typeorm';
import { LateStaging } from '../src/clocks/burst-staging';
import { ClockFiringLoop } from '../src/clocks/clock-firing.loop';
import { escalationService } from '../src/escalation.service-definition';

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

describe('burst staging: a dense window is written ahead and committed when it falls due (real PostgreSQL)', () => {
  let t: TestService;
  let events: EventEnvelope[];
  let loop: ClockFiringLoop;
  beforeAll(async () => {
    const bus = new InProcessBus();
    events = await recordTopic(bus, 'aftersales.escalation.events.v1');
    t = await startTestService(escalationService, {
      bus,
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
    });
    loop = t.service.app.get(ClockFiringLoop);
  });
  afterAll(() => t.stop());

  it('fires every clock of a burst once, never before its due time and at most one window after it', async () => {
    // 150 clocks due within one window ~2.5 s ahead: more than one staged batch (60) holds
    const windowStart = (Math.floor(Date.now() / WINDOW_MS) + 5) * WINDOW_MS;
    const before = { ...loop.staging.stats };
    const ids = await loadClocks(t, 150, windowStart, WINDOW_MS);

    // staged while the window is ahead, but nothing visible before it starts
    await waitFor('a batch staged', () => (loop.staging['slotsUsed'] > 0 ? true : undefined), { timeoutMs: 2_000 });
    let looked = 0;
    while (Date.now() < windowStart - 30) {
      expect(await firings(t, ids)).toHaveLength(0);
      looked++;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(looked).toBeGreaterThan(10); // the window was still well ahead while staged

    await waitFor('150 firings', async () => ((await firings(t, ids)).length === 150 ? true : undefined), { timeoutMs: 8_000 });
    await new Promise((r) => setTimeout(r, 300));
    const rows = await firings(t, ids);
    expect(new Set(rows.map((r) => r.clock_id)).size).toBe(150);
    for (const r of rows) {
      const late = r.fired_at.getTime() - r.due_at.getTime();
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThanOrEqual(WINDOW_MS);
    }
    // the staged batches did the work (the last few clocks may fall to the due-now workers)
    expect(loop.staging.stats.committed - before.committed).toBeGreaterThanOrEqual(2);
    expect(loop.staging.stats.events - before.events).toBeGreaterThanOrEqual(120);
    await waitFor('150 warnings published', () =>
      events.filter((e) => e.type === 'escalation.warning.v1' && ids.includes((e.data as { clockId: string }).clockId)).length === 150
        ? true
        : undefined,
    );
  });

  it('gives every dense window of a burst a batch before any window a second one, so slots do not run out on the first windows', async () => {
    // three windows of 110 clocks (two batches of 60 each would take six slots; there are three)
    const first = (Math.floor(Date.now() / WINDOW_MS) + 9) * WINDOW_MS; // ~4.5 s ahead
    const starts = [first, first + WINDOW_MS, first + 2 * WINDOW_MS];
    // in one transaction: a scan that saw only the first windows would rightly give them the slots
    // (the burst's clocks were started long before it falls due, so a scan sees the whole of it)
    const ids = await t.service.runtime.dataSource.transaction(async (m) => {
      const all: string[] = [];
      for (const w of starts) all.push(...(await loadClocks(t, 110, w, WINDOW_MS, m)));
      return all;
    });
    await waitFor('330 firings', async () => ((await firings(t, ids)).length === 330 ? true : undefined), { timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 300));
    const rows = await firings(t, ids);
    expect(new Set(rows.map((r) => r.clock_id)).size).toBe(330);
    // each window was staged while the burst was still ahead, not when the first window's commit freed a slot
    for (const w of starts) {
      const batches = loop.staging.trace.filter((tr) => tr.windowStart === w);
      expect(batches.length).toBeGreaterThanOrEqual(1);
      expect(Math.min(...batches.map((b) => b.stagedAt))).toBeLessThan(first - WINDOW_MS);
      expect(batches.some((b) => b.outcome === 'committed' && b.claimed > 0)).toBe(true);
    }
  });

  it('a pause for a clock of a held batch gets through at once; the batch yields, is staged again and fires the rest once', async () => {
    const windowStart = (Math.floor(Date.now() / WINDOW_MS) + 7) * WINDOW_MS; // ~3.5 s ahead
    const before = { ...loop.staging.stats };
    const rows = await loadClockRows(t, 100, windowStart, WINDOW_MS);
    const ids = rows.map((r) => r.id);
    await waitFor(
      'the batch written and held',
      () =>
        loop.staging.stats.events === before.events && loop.staging['writing'] === 0 && loop.staging['slotsUsed'] > 0 ? true : undefined,
      { timeoutMs: 2_500, intervalMs: 20 },
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(windowStart - Date.now()).toBeGreaterThan(1_500); // still well ahead: a blocked pause would wait that long

    // the customer is asked for something: ladder B pauses on the customer
    const paused = rows[0];
    const started = Date.now();
    await deliver(
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
        at: new Date().toISOString(),
      }),
    );
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(loop.staging.stats.yielded - before.yielded).toBeGreaterThanOrEqual(1);

    await waitFor('99 firings', async () => ((await firings(t, ids)).length >= 99 ? true : undefined), { timeoutMs: 8_000 });
    await new Promise((r) => setTimeout(r, 300));
    const rowsFired = await firings(t, ids);
    expect(rowsFired).toHaveLength(99); // every clock once, but the paused one
    expect(rowsFired.map((r) => r.clock_id)).not.toContain(paused.id);
    const [clock] = await t.service.runtime.dataSource.query(
      `SELECT paused_since, next_due_at FROM "${t.schema}".sla_clocks WHERE id = $1`,
      [paused.id],
    );
    expect(clock.paused_since).not.toBeNull();
    expect(clock.next_due_at).toBeNull();
  });

  it('lets an overdue backlog go first: the burst ahead is written after the due-now workers caught up, and still fires on time', async () => {
    await loop.onModuleDestroy(); // the backlog builds up while the loop is down (an outage, a restart)
    const backlog = await loadClocks(t, 2_000, Date.now() - 60_000, 30_000);
    // a burst ~7.5 s ahead: inside the 8 s lookahead as soon as the loop is back
    const windowStart = Math.floor((Date.now() + 7_500) / WINDOW_MS) * WINDOW_MS;
    const burst = await loadClocks(t, 100, windowStart, WINDOW_MS);
    const before = { ...loop.staging.stats };
    const stagedWrites: number[] = [];
    const fireClaimed = loop.fireClaimed.bind(loop);
    loop.fireClaimed = (m, clocks, upTo, firedAt) => {
      if (firedAt.getTime() > Date.now()) stagedWrites.push(Date.now()); // a staged batch writes ahead
      return fireClaimed(m, clocks, upTo, firedAt);
    };
    try {
      loop.onModuleInit();
      await waitFor('the burst fired', async () => ((await firings(t, burst)).length === 100 ? true : undefined), { timeoutMs: 15_000 });
      await waitFor('the backlog fired', async () => ((await firings(t, backlog)).length === 2_000 ? true : undefined));
    } finally {
      delete (loop as { fireClaimed?: unknown }).fireClaimed;
    }
    const backlogClaimedLast = Math.max(...(await firings(t, backlog)).map((r) => r.fired_at.getTime()));
    expect(stagedWrites.length).toBeGreaterThan(0);
    // no staged write while the workers still had overdue clocks to claim
    expect(Math.min(...stagedWrites)).toBeGreaterThanOrEqual(backlogClaimedLast);
    expect(loop.staging.stats.deferredMs - before.deferredMs).toBeGreaterThan(0);
    expect(loop.staging.stats.committed - before.committed).toBeGreaterThanOrEqual(1);
    const rows = await firings(t, burst);
    expect(new Set(rows.map((r) => r.clock_id)).size).toBe(100);
    for (const r of rows) {
      const late = r.fired_at.getTime() - r.due_at.getTime();
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThanOrEqual(WINDOW_MS);
    }
  });

  it('a batch without time for all its chunks commits the written ones on time; the due-now workers fire the rest, each once', async () => {
    await loop.onModuleDestroy(); // the rest must wait for the due-now workers, started again below
    const windowStart = Date.now() + 1500;
    const windowEnd = windowStart + WINDOW_MS;
    const ids = await loadClocks(t, 60, windowStart, WINDOW_MS); // one batch, three chunks of 20
    // the first chunk takes a second to write (a machine under load): measured, that makes the next
    // chunk too slow to be written by the window's end (at 20 ms a clock, twice over)
    const fireClaimed = loop.fireClaimed.bind(loop);
    let calls = 0;
    loop.fireClaimed = async (...args) => {
      if (calls++ === 0) await new Promise((r) => setTimeout(r, 1000));
      return fireClaimed(...args);
    };
    (loop.staging as unknown as { msPerClock: number }).msPerClock = 20;
    const before = { ...loop.staging.stats };
    try {
      await loop.staging.stageWindow({ windowStart, claimed: 0, left: 60 });
    } finally {
      loop.fireClaimed = fireClaimed;
    }
    expect(loop.staging.stats.partial - before.partial).toBe(1);
    const staged = await firings(t, ids);
    expect(staged).toHaveLength(20); // the first chunk, committed at the window's end
    for (const r of staged) expect(r.fired_at.getTime()).toBe(windowEnd);

    loop.onModuleInit();
    await waitFor('60 firings', async () => ((await firings(t, ids)).length === 60 ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    const all = await firings(t, ids);
    expect(new Set(all.map((r) => r.clock_id)).size).toBe(60);
    for (const r of all) expect(r.fired_at.getTime()).toBeGreaterThanOrEqual(r.due_at.getTime());
    expect(events.filter((e) => ids.includes((e.data as { clockId?: string }).clockId ?? ''))).toHaveLength(60);
  });

  it('claims nothing for a window there is no time left to write, does not stage it again, and the due-now workers fire it once', async () => {
    const staging = loop.staging as unknown as { msPerClock: number };
    const measured = staging.msPerClock;
    const before = { ...loop.staging.stats };
    // a dense window ~3 s ahead while chunks are measured at a second a clock: 20 clocks need 40 s
    staging.msPerClock = 1000;
    const windowStart = (Math.floor(Date.now() / WINDOW_MS) + 6) * WINDOW_MS;
    const ids = await loadClocks(t, 50, windowStart, WINDOW_MS);
    try {
      await waitFor('the window skipped', () => (loop.staging.stats.skipped > before.skipped ? true : undefined), { timeoutMs: 2_000 });
      // held nothing: the clocks are free to claim while the window is still ahead
      const free: Array<{ id: string }> = await t.service.runtime.dataSource.transaction((m) =>
        m.query(`SELECT id FROM "${t.schema}".sla_clocks WHERE id = ANY($1::uuid[]) FOR UPDATE SKIP LOCKED`, [ids]),
      );
      expect(free).toHaveLength(50);
      // the scan (every 400 ms here) sees the window again and leaves it alone
      await new Promise((r) => setTimeout(r, 1_200));
      expect(loop.staging.stats.skipped - before.skipped).toBe(1);
      expect(loop.staging.trace.filter((tr) => tr.windowStart === windowStart).map((tr) => [tr.outcome, tr.claimed])).toEqual([
        ['skipped', 0],
      ]);
    } finally {
      staging.msPerClock = measured;
    }
    await waitFor('50 firings', async () => ((await firings(t, ids)).length === 50 ? true : undefined), { timeoutMs: 8_000 });
    await new Promise((r) => setTimeout(r, 300));
    const rows = await firings(t, ids);
    expect(new Set(rows.map((r) => r.clock_id)).size).toBe(50);
    for (const r of rows) expect(r.fired_at.getTime()).toBeGreaterThanOrEqual(r.due_at.getTime());
    expect(events.filter((e) => ids.includes((e.data as { clockId?: string }).clockId ?? ''))).toHaveLength(50);
  });

  it('rolls back a batch that is written after its window end; the due-now workers fire it once', async () => {
    await loop.onModuleDestroy(); // keep the due-now workers away while the late batch is tried
    const windowStart = Date.now() + 100;
    const ids = await loadClocks(t, 50, windowStart, WINDOW_MS);
    // the budget says a chunk fits, but writing it takes past the window's end (a stall)
    (loop.staging as unknown as { msPerClock: number }).msPerClock = 0.01;
    const fireClaimed = loop.fireClaimed.bind(loop);
    loop.fireClaimed = async (...args) => {
      await new Promise((r) => setTimeout(r, WINDOW_MS + 300));
      return fireClaimed(...args);
    };
    try {
      await expect(loop.staging.stageWindow({ windowStart, claimed: 0, left: 50 })).rejects.toBeInstanceOf(LateStaging);
    } finally {
      loop.fireClaimed = fireClaimed;
    }
    expect(await firings(t, ids)).toHaveLength(0);
    const [{ due }] = await t.service.runtime.dataSource.query(
      `SELECT count(*)::int AS due FROM "${t.schema}".sla_clocks WHERE id = ANY($1::uuid[]) AND next_due_at <= now()`,
      [ids],
    );
    expect(due).toBe(50);

    loop.onModuleInit();
    await waitFor('50 firings', async () => ((await firings(t, ids)).length === 50 ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(await firings(t, ids)).toHaveLength(50);
    expect(events.filter((e) => ids.includes((e.data as { clockId?: string }).clockId ?? ''))).toHaveLength(50);
  });
});
