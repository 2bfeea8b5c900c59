/**
 * Escalation firing at scale: `npm run bench -- escalation`.
 *
 * For each size in BENCH_CLOCKS (default `10000,1000000`) a child process (so RSS is measured per
 * size, not after the previous one) creates a fresh schema, starts the real escalation service
 * (`startService`, in-process bus whose only other subscriber counts the published escalation
 * events), stops its ClockFiringLoop while it bulk-loads N open clocks with `INSERT … SELECT
 * generate_series`, then lets the loop fire them and measures:
 * - events fired per second (average over the window, best second), rungs fired,
 * - firing lateness p50/p99/max (`fired_at − due_at` of every `clock_firings` row),
 * - RSS of the process (service + bench) before and during firing, outbox backlog.
 * The calendar suite's due-date computations per second are printed alongside.
 *
 * Clocks: ladder B on the 7x24 calendar, severities P1 10 % / P2 20 % / P3 30 % / P4 40 %; each
 * clock's next event is its first (the diagnosis warning at 80 %), so `started_at` is its due time
 * minus that offset and the loop's plan agrees with `next_due_at`. P1 and P2 clocks then reach
 * their breach and first rung (2 / 12 minutes later) inside the window, so rungs and vendor-case
 * events fire too. Due times: 80 % uniform over the window, 20 % in BENCH_BURSTS whole seconds.
 *
 * Environment (all optional):
 *   BENCH_CLOCKS=10000,1000000    sizes, one child process each
 *   BENCH_WINDOW_MINUTES=60       window the due times are spread over (5 for a quick run)
 *   BENCH_BURSTS=10               burst seconds holding 20 % of the clocks
 *   BENCH_MEASURE_MINUTES         fire and measure only the window's first minutes (the hour's layout,
 *                                 density and table size in less time; 16 covers bursts 0-2, the third
 *                                 meeting burst 0's P2 follow-ups)
 *   BENCH_DRAIN_SECONDS=120       how long after the window the relay may take to empty the outbox
 *   BENCH_CHILD_NODE_FLAGS        e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" for the measured process
 *   BENCH_DATABASE_URL / TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test if it
 *     answers, else an embedded PostgreSQL in a temp dir
 *   ESCALATION_FIRING_CONCURRENCY / ESCALATION_FIRING_BATCH / ESCALATION_FIRING_INTERVAL_MS,
 *   DB_POOL_SIZE                  passed to the service
 * Quick run (about 4 minutes): BENCH_CLOCKS=10000,100000 BENCH_WINDOW_MINUTES=2 npm run bench -- escalation
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { InProcessBus } from '@aftersales/messaging';
import { uniqueSchema, dropSchema } from '@aftersales/persistence';
import { startService } from '@aftersales/platform';
import { escalationService } from '../../services/escalation/src/escalation.service-definition';
import { ClockFiringLoop } from '../../services/escalation/src/clocks/clock-firing.loop';
import type { StagedTrace } from '../../services/escalation/src/clocks/burst-staging';
import { LADDER_B } from '../../services/escalation/src/domain';
import { benchDatabase } from './bench-database';

const SEVERITY_MIX: Array<['P1' | 'P2' | 'P3' | 'P4', number]> = [
  ['P1', 0.1],
  ['P2', 0.2],
  ['P3', 0.3],
  ['P4', 0.4],
];

export type Figures = Record<string, number>;

/** Parent side: one child process per size, figures side by side with ratios. */
export async function benchEscalation(): Promise<Array<{ title: string; figures: Figures }>> {
  const sizes = (process.env.BENCH_CLOCKS ?? '10000,1000000').split(',').map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0))
    throw new Error(`BENCH_CLOCKS: positive integers, got ${process.env.BENCH_CLOCKS}`);
  const db = await benchDatabase('esc');
  const out: Array<{ title: string; figures: Figures }> = [];
  try {
    const runs: Figures[] = [];
    for (const n of sizes) {
      process.stderr.write(`escalation bench: ${n} clocks …\n`);
      const figures = await runChild(n, db.url);
      runs.push(figures);
      out.push({ title: `escalation firing, ${n} clocks (${db.source})`, figures });
    }
    const [small, large] = [runs[0], runs[runs.length - 1]];
    if (runs.length >= 2 && small && large) {
      out.push({
        title: `escalation: ${sizes[0]} vs ${sizes[sizes.length - 1]} clocks`,
        figures: {
          'RSS peak ratio (large/small)': (large['RSS peak while firing MiB'] ?? NaN) / (small['RSS peak while firing MiB'] ?? NaN),
          'p99 lateness ratio to 1 s (large)': (large['lateness p99 s'] ?? NaN) / 1,
          'events/s ratio (large/small)': (large['events fired/s (window avg)'] ?? NaN) / (small['events fired/s (window avg)'] ?? NaN),
        },
      });
    }
  } finally {
    await db.stop();
  }
  return out;
}

function runChild(n: number, url: string): Promise<Figures> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [
        ...(process.env.BENCH_CHILD_NODE_FLAGS ?? '').split(' ').filter(Boolean),
        '--expose-gc',
        '-r',
        resolve(__dirname, '..', 'register.js'),
        __filename,
      ],
      {
        env: { ...process.env, BENCH_CHILD_CLOCKS: String(n), BENCH_CHILD_DATABASE_URL: url },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', fail);
    child.on('exit', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) return fail(new Error(`bench child (${n} clocks) exited ${code}: ${stdout.slice(-2000)}`));
      done(JSON.parse(line) as Figures);
    });
  });
}

// ---- child side ------------------------------------------------------------------------------------

const MIN_MS = 60_000;
const mib = (b: number) => b / 2 ** 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const progress = (m: string) => process.stderr.write(`  [${new Date().toISOString().slice(11, 19)}] ${m}\n`);

async function childRun(n: number, url: string): Promise<Figures> {
  const windowMs = Number(process.env.BENCH_WINDOW_MINUTES ?? 60) * MIN_MS;
  // the layout of the whole window, measured over its first minutes only (a shorter look at the hour)
  const measureMs = Math.min(windowMs, Number(process.env.BENCH_MEASURE_MINUTES ?? windowMs / MIN_MS) * MIN_MS);
  const bursts = Math.max(1, Number(process.env.BENCH_BURSTS ?? 10));
  const schema = uniqueSchema('bench_escalation');
  const bus = new InProcessBus();
  let published = 0;
  const delivered = new MsHistogram();
  await bus.subscribe({
    group: 'bench.counter',
    topic: 'aftersales.escalation.events.v1',
    handle: (e) => {
      // what a consumer sees: received − due (firing plus the relay's lag)
      published++;
      const dueAt = (e.data as { dueAt?: string } | undefined)?.dueAt;
      if (dueAt) delivered.add(Date.now() - Date.parse(dueAt));
      return Promise.resolve();
    },
  });
  const service = await startService(escalationService, {
    bus,
    databaseUrl: url,
    env: {
      ...withoutKafka(process.env),
      DB_SCHEMA: schema,
      PORT: '0',
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'bench-secret-0123456789-0123456789',
      DB_POOL_SIZE: process.env.DB_POOL_SIZE ?? '10',
    },
  });
  const loop = service.app.get(ClockFiringLoop);
  const committed = new MsHistogram();
  const byPath = { due: new MsHistogram(), staged: new MsHistogram() };
  // events later than 1 s per 10-second slice of due time: where the misses are
  const lateSlices = new Map<number, number>();
  loop.observer = (lateSeconds, e, path) => {
    committed.add(lateSeconds * 1000);
    byPath[path].add(lateSeconds * 1000);
    if (lateSeconds > 1) lateSlices.set(Math.floor(e.at / 10_000), (lateSlices.get(Math.floor(e.at / 10_000)) ?? 0) + 1);
  };
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    await loop.onModuleDestroy(); // no firing while loading
    const rssIdle = mib(process.memoryUsage().rss);
    (globalThis as { gc?: () => void }).gc?.();
    const heapIdle = mib(process.memoryUsage().heapUsed);

    // due window starts once the load is surely done (about 25 µs a clock here, with margin)
    const leadMs = Number(process.env.BENCH_LEAD_SECONDS ?? 10 + n / 20_000) * 1000;
    const t0 = Math.ceil((Date.now() + leadMs) / 1000) * 1000;
    const loadStart = Date.now();
    await loadClocks(db, schema, n, t0, windowMs, bursts);
    const loadSeconds = (Date.now() - loadStart) / 1000;
    progress(`loaded ${n} clocks in ${loadSeconds.toFixed(1)} s; window starts in ${((t0 - Date.now()) / 1000).toFixed(1)} s`);
    if (Date.now() > t0) progress('WARNING: the load overran the window start (raise BENCH_LEAD_SECONDS); early clocks start overdue');

    // the loop fires everything due up to the window's end; the relay publishes it (drain capped)
    loop.onModuleInit();
    const windowEnd = t0 + measureMs;
    const drainCapMs = Number(process.env.BENCH_DRAIN_SECONDS ?? 120) * 1000;
    const [{ autovacuum }] = (await db.query(`SELECT current_setting('autovacuum') = 'on' AS autovacuum`)).rows;
    if (!autovacuum) {
      progress('autovacuum is off on this server: the bench runs VACUUM ANALYZE on the hot tables every 20 s instead');
      // throttled like autovacuum (its default cost delay), not a full-speed manual VACUUM
      await db.query(`SET vacuum_cost_delay = '2ms'`);
    }
    let lastMaintenance = Date.now();
    let rssPeak = 0;
    let backlogPeak = 0;
    let bestSecond = 0;
    let firedAllAt = 0;
    const firedAtStart = await firedSoFar(service);
    let last = { at: Date.now(), fired: firedAtStart };
    let lastLog = 0;
    let pending = 0;
    for (;;) {
      await sleep(1000);
      rssPeak = Math.max(rssPeak, mib(process.memoryUsage().rss));
      const fired = await firedSoFar(service);
      const now = Date.now();
      bestSecond = Math.max(bestSecond, ((fired - last.fired) * 1000) / (now - last.at));
      last = { at: now, fired };
      pending = (await db.query(`SELECT count(*)::int AS pending FROM "${schema}".outbox WHERE sent_at IS NULL AND dead_at IS NULL`))
        .rows[0].pending;
      backlogPeak = Math.max(backlogPeak, pending);
      if (now - lastLog >= 15_000) {
        lastLog = now;
        progress(`fired ${fired - firedAtStart}, published ${published}, outbox backlog ${pending}`);
      }
      if (!autovacuum && now - lastMaintenance >= 20_000) {
        // what autovacuum would do: fresh statistics, dead index entries (fired clocks, sent outbox rows) gone
        for (const t of ['sla_clocks', 'clock_firings', 'outbox']) await db.query(`VACUUM (ANALYZE) "${schema}".${t}`);
        lastMaintenance = Date.now();
      }
      if (now < windowEnd + 1000) continue;
      if (!firedAllAt) {
        const [{ due }] = (
          await db.query(
            `SELECT count(*)::int AS due FROM "${schema}".sla_clocks WHERE state = 'running' AND next_due_at <= to_timestamp($1 / 1000.0)`,
            [windowEnd],
          )
        ).rows;
        if (due === 0) firedAllAt = now;
      }
      if (firedAllAt && (pending === 0 || now - windowEnd > drainCapMs)) break;
    }
    const stoppedAt = Date.now();
    await loop.onModuleDestroy();
    printStagingTrace(loop.staging.trace, t0);
    // what stays after a full collection: nothing may grow with the clocks fired
    (globalThis as { gc?: () => void }).gc?.();
    const heapAfter = mib(process.memoryUsage().heapUsed);

    // what fell due inside the window (P2-P4 follow-ups after it are not part of the run)
    const [lat] = (
      await db.query(
        `SELECT count(*)::int AS n,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY l) AS p50,
                percentile_cont(0.99) WITHIN GROUP (ORDER BY l) AS p99,
                max(l) AS max,
                count(*) FILTER (WHERE l > 1)::int AS over1s,
                count(*) FILTER (WHERE event_key LIKE 'rung:%')::int AS rungs
           FROM (SELECT event_key, extract(epoch FROM fired_at - due_at)::float8 AS l
                   FROM "${schema}".clock_firings WHERE due_at <= to_timestamp($1 / 1000.0)) f`,
        [windowEnd],
      )
    ).rows;
    const [ob] = (
      await db.query(
        `SELECT count(*) FILTER (WHERE (payload->>'dueAt')::timestamptz <= to_timestamp($1 / 1000.0))::int AS events,
                count(*) FILTER (WHERE sent_at IS NOT NULL)::int AS sent,
                extract(epoch FROM max(sent_at) - min(sent_at))::float8 AS span
           FROM "${schema}".outbox`,
        [windowEnd],
      )
    ).rows;
    return {
      clocks: n,
      'window minutes': windowMs / MIN_MS,
      'measured minutes': measureMs / MIN_MS,
      'burst seconds (20 % of clocks)': bursts,
      'load s': loadSeconds,
      'load clocks/s': n / loadSeconds,
      'firings due in window': lat.n,
      'rungs fired': lat.rungs,
      'outbox events due in window': ob.events,
      'events fired/s (window avg)': ob.events / (measureMs / 1000),
      'events fired/s (best second)': bestSecond,
      'lateness p50 s': lat.p50,
      'lateness p99 s': lat.p99,
      'lateness max s': lat.max,
      'commit lateness p50 s': committed.quantile(0.5) / 1000,
      'commit lateness p99 s': committed.quantile(0.99) / 1000,
      'commit lateness max s': committed.max / 1000,
      'delivery lateness p50 s': delivered.quantile(0.5) / 1000,
      'delivery lateness p99 s': delivered.quantile(0.99) / 1000,
      'delivery lateness max s': delivered.max / 1000,
      'share later than 1 s': lat.over1s / Math.max(1, lat.n),
      'p99 ratio to 1 s target': lat.p99 / 1,
      'due-now events': byPath.due.count,
      'due-now p99 s': byPath.due.quantile(0.99) / 1000,
      'due-now max s': byPath.due.max / 1000,
      'staged events': byPath.staged.count,
      'staged p99 s': byPath.staged.quantile(0.99) / 1000,
      'staged max s': byPath.staged.max / 1000,
      ...Object.fromEntries(
        [...lateSlices.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8)
          .map(([slice, n]) => [`>1 s late, due in window second ${(slice * 10_000 - t0) / 1000}+10`, n]),
      ),
      'staged batches committed on time': loop.staging.stats.committed,
      'staged batches committed in part on time': loop.staging.stats.partial,
      'staged batches late (rolled back)': loop.staging.stats.late,
      'staged batches skipped (no time for one chunk)': loop.staging.stats.skipped,
      'staged batches yielded to a change': loop.staging.stats.yielded,
      'events fired by staged batches': loop.staging.stats.events,
      'all due fired, s after window end': (firedAllAt - windowEnd) / 1000,
      'outbox backlog peak': backlogPeak,
      'outbox backlog at stop': pending,
      'relay published/s (first to last)': ob.sent / Math.max(1, ob.span),
      'events published (counted)': published,
      'RSS idle MiB': rssIdle,
      'RSS peak while firing MiB': rssPeak,
      'heap used idle MiB (after GC)': heapIdle,
      'heap used after firing MiB (after GC)': heapAfter,
      'measured s after window end': (stoppedAt - windowEnd) / 1000,
    };
  } finally {
    await db.end();
    await service.close();
    await dropSchema(url, schema);
  }
}

/**
 * One line per burst (staged windows in consecutive seconds): where its batches' time went, in
 * seconds before their windows — staged, writer's turn, first and last chunk written — and the
 * write speed the budget assumed against the slowest chunk's. The misses are explained here.
 */
function printStagingTrace(trace: readonly StagedTrace[], t0: number): void {
  const bursts: StagedTrace[][] = [];
  for (const t of [...trace].sort((a, b) => a.windowStart - b.windowStart)) {
    const last = bursts[bursts.length - 1];
    const previous = last?.[last.length - 1];
    if (last && previous && t.windowStart - previous.windowStart <= 2000) last.push(t);
    else bursts.push([t]);
  }
  // seconds a batch's step came before its window
  const before = (t: StagedTrace, at: number | undefined) => (at === undefined ? undefined : (t.windowStart - at) / 1000);
  const lead = (ts: StagedTrace[], at: (t: StagedTrace) => number | undefined, pick: (...n: number[]) => number) => {
    const leads = ts.map((t) => before(t, at(t))).filter((l): l is number => l !== undefined);
    return leads.length ? pick(...leads).toFixed(1) : '-';
  };
  for (const b of bursts) {
    const first = b[0];
    if (!first) continue;
    const outcomes = new Map<string, number>();
    for (const t of b) outcomes.set(t.outcome, (outcomes.get(t.outcome) ?? 0) + 1);
    progress(
      `staged burst at window s ${((first.windowStart - t0) / 1000).toFixed(1)}: ${b.length} batches (` +
        [...outcomes].map(([o, n]) => `${n} ${o}`).join(', ') +
        `), claimed ${b.reduce((s, t) => s + t.claimed, 0)}, written ${b.reduce((s, t) => s + t.written, 0)}; ` +
        `s before window: staged ≤${lead(b, (t) => t.stagedAt, Math.max)}, last turn ${lead(b, (t) => t.turnAt, Math.min)}, ` +
        `first write ${lead(b, (t) => t.writeFrom, Math.max)}, last written ${lead(b, (t) => t.writtenAt, Math.min)}; ` +
        `ms/clock budgeted ≤${Math.max(...b.map((t) => t.msPerClock)).toFixed(3)}, slowest chunk ${Math.max(0, ...b.map((t) => t.slowestMsPerClock ?? 0)).toFixed(3)}`,
    );
    // a burst with a batch not committed in full: every batch, s before its window
    if (b.some((t) => t.outcome !== 'committed')) {
      const s = (at: number | undefined, t: StagedTrace) => before(t, at)?.toFixed(2) ?? '-';
      for (const t of b)
        progress(
          `    window +${((t.windowStart - first.windowStart) / 1000).toFixed(1)} s: ${t.outcome}, unstaged ${t.unstaged} when staged, ` +
            `claimed ${t.claimed}, written ${t.written}; staged ${s(t.stagedAt, t)}, turn ${s(t.turnAt, t)}, claimed ${s(t.claimedAt, t)}, ` +
            `writes ${s(t.writeFrom, t)} → ${s(t.writtenAt, t)}, ms/clock ${t.msPerClock.toFixed(3)}`,
        );
    }
  }
}

/** Millisecond-resolution counts up to 10 minutes: exact percentiles in constant memory, whatever the event count. */
class MsHistogram {
  private readonly counts = new Uint32Array(600_001);
  private n = 0;
  max = 0;
  get count(): number {
    return this.n;
  }
  add(ms: number): void {
    const i = Math.min(this.counts.length - 1, Math.max(0, Math.round(ms)));
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.n++;
    this.max = Math.max(this.max, ms);
  }
  quantile(q: number): number {
    let seen = 0;
    const want = Math.ceil(q * this.n);
    for (let i = 0; i < this.counts.length; i++) if ((seen += this.counts[i] ?? 0) >= want && want > 0) return i;
    return 0;
  }
}

/** The bus is the in-process one passed in; Kafka settings of the shell would only fail validation. */
function withoutKafka(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('KAFKA_')));
}

async function firedSoFar(service: Awaited<ReturnType<typeof startService>>): Promise<number> {
  const m = await service.runtime.metrics.registry.getSingleMetric('aftersales_escalation_events_fired_total')?.get();
  return (m?.values ?? []).reduce((s, v) => s + v.value, 0);
}

/**
 * N running ladder-B clocks whose next event (the diagnosis warning) is due in the window:
 * 80 % uniform, 20 % in `bursts` whole seconds spread over it. Due times are whole milliseconds
 * (what JavaScript dates hold), so the loop's plan gives exactly the stored `next_due_at`.
 */
async function loadClocks(db: Client, s: string, n: number, t0: number, windowMs: number, bursts: number): Promise<void> {
  const cases = SEVERITY_MIX.map(([sev]) => {
    const p = LADDER_B.severities[sev];
    const target = p.targets[p.ladder.target] as number;
    return { sev, warnMs: Math.round(target * (p.warnAtShare as number) * MIN_MS), targetMs: target * MIN_MS };
  });
  // severity by (i / 5) modulo 10 (i modulo 5 picks the bursts): 1 × P1, 2 × P2, 3 × P3, 4 × P4
  const sevOf = `(ARRAY['P1','P2','P2','P3','P3','P3','P4','P4','P4','P4'])[((i / 5) % 10) + 1]`;
  const warnOf = `(ARRAY[${[0, 1, 1, 2, 2, 2, 3, 3, 3, 3].map((k) => cases[k]?.warnMs).join(',')}])[((i / 5) % 10) + 1]`;
  const targetOf = `(ARRAY[${[0, 1, 1, 2, 2, 2, 3, 3, 3, 3].map((k) => cases[k]?.targetMs).join(',')}])[((i / 5) % 10) + 1]`;
  // every 5th clock is in a burst: burst b at t0 + (b + 0.5) / bursts of the window, within one second
  const dueMsOf = `CASE WHEN i % 5 = 0
      THEN $1::float8 + floor(((i / 50) % $3 + 0.5) * $2::float8 / $3 / 1000) * 1000 + floor(random() * 1000)
      ELSE $1::float8 + floor(random() * $2::float8) END`;
  const chunk = 100_000;
  for (let from = 1; from <= n; from += chunk) {
    const to = Math.min(n, from + chunk - 1);
    await db.query(
      `INSERT INTO "${s}".sla_clocks (id, case_id, region, severity, target, episode, state, started_at, due_at, next_due_at,
                                       policy_id, policy_version, calendar_id)
       SELECT gen_random_uuid(), gen_random_uuid(), 'bench', sev, 'ladder:diagnosis', 1, 'running',
              to_timestamp((due - warn) / 1000.0), to_timestamp((due - warn + target) / 1000.0), to_timestamp(due / 1000.0),
              'ladder-b', 1, '7x24'
         FROM (SELECT i, ${sevOf} AS sev, ${warnOf}::float8 AS warn, ${targetOf}::float8 AS target, ${dueMsOf} AS due
                 FROM generate_series($4::int, $5::int) AS i) c`,
      [t0, windowMs, bursts, from, to],
    );
  }
  await db.query(`ANALYZE "${s}".sla_clocks`);
}

if (require.main === module && process.env.BENCH_CHILD_CLOCKS) {
  childRun(Number(process.env.BENCH_CHILD_CLOCKS), process.env.BENCH_CHILD_DATABASE_URL as string).then(
    (figures) => {
      process.stdout.write(`\n${JSON.stringify(figures)}\n`);
      process.exit(0);
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    },
  );
}
