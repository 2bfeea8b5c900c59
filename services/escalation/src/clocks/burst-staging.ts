import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { Clock } from '@aftersales/platform';
import { Counter, Gauge, Registry } from 'prom-client';
import { labelProduct, MetricFactory, zeroSeries } from '@aftersales/observability';
import { DataSource, EntityManager } from 'typeorm';
import { ClockRepository } from './clock.repository';
import { ClockRow, Fired, mayDefer, PendingWrite } from '../domain';

/** What burst staging needs of the firing loop. */
export interface StagedFiring {
  fireClaimed(m: EntityManager, clocks: ClockRow[], upTo: number, firedAt: Date): Promise<Fired[]>;
  count(fired: Fired[], committedAt: number, path: 'due' | 'staged'): void;
  /** how far behind the due-now workers are (ms); 0 when they have caught up */
  dueNowLagMs(): number;
}

export interface BurstStagingOptions {
  /** the staged transactions */
  dataSource: DataSource;
  clocks: ClockRepository;
  /** how far ahead dense windows are staged (ms) */
  lookaheadMs: number;
  /** width of a staging window (ms): a staged batch commits at its window's end, so this bounds its lateness */
  windowMs: number;
  /** a window with at least this many clocks due is a burst worth staging */
  denseClocks: number;
  /** staged transactions held open at once (each holds a pooled connection) */
  slots: number;
  /** clocks per staged transaction */
  batchSize: number;
  /** clocks written per statement group: between two, a staged writer gives way to due-now work */
  chunkSize: number;
  /** staged transactions writing at once (the rest wait their turn): the due-now workers keep the other cores */
  writers: number;
  /** how often to look for bursts at least (ms): a long lookahead is scanned less often, see `scanEveryMs` */
  intervalMs: number;
  registry: Registry;
  /** the time windows fall due on; also what staged writes are measured with (a ManualClock in tests) */
  clock: Clock;
  /** the write time per clock (ms) assumed before any is measured: pessimistic by default (1) */
  initialMsPerClock?: number;
}

/**
 * Absorbs bursts: tens of thousands of clocks due in the same second are more than PostgreSQL can
 * fire in that second on a small box, so their work is done ahead and only the commit happens on
 * time. Every `intervalMs` it counts the clocks due in each `windowMs` window of the next
 * `lookaheadMs`; for a dense window it claims the clocks (`FOR UPDATE SKIP LOCKED`, like the
 * due-now workers), writes their firings, outbox events and next due times in a transaction, holds
 * the transaction until the window ends and commits it then. Nothing is visible before the commit,
 * so exactly-once and the outbox are unchanged, and a crash rolls the staged work back for the
 * due-now workers. A batch is written in chunks; a chunk that would not be written by the window's
 * end is not begun: the chunks written commit on time, and the rest of the batch's clocks, claimed
 * but unchanged, are released by that commit to the due-now workers (outcome `partial`). A batch
 * that still overruns its window's end is rolled back rather than committed late under a stamp
 * that would not be true; the due-now workers fire it.
 *
 * Work already due goes first: a batch is written in chunks, and before each one the writer
 * waits while the due-now workers are more than `DUE_NOW_LAG_MS` behind — unless waiting longer
 * would leave too little time to write the rest, and the batches queued with it, before their
 * windows (`mayDefer`: measured write speed, twice over, plus a margin). On two cores the writers
 * would otherwise take both from the due-now work in the seconds before a burst.
 *
 * A change to a clock of a held batch (a pause, a met target, a re-base) waits on its row lock
 * only until the batch notices (`CHANGE_CHECK_MS`) and yields: it rolls back, the change applies,
 * and the window is staged again under the changed plans while there is time (else the due-now
 * workers fire it, late by their backlog).
 */
export class BurstStaging {
  private readonly log = new Logger('BurstStaging');
  private timer?: NodeJS.Timeout;
  private stopped = true;
  private scanning?: Promise<void>;
  /** staged transactions in flight, per window start */
  private readonly inFlight = new Map<number, StagedBatch[]>();
  private slotsUsed = 0;
  private writing = 0;
  private held = 0;
  private readonly waitingWriters: Array<() => void> = [];
  /** staged transactions by outcome, events they fired, time writers waited (tests, benchmark) */
  readonly stats = { committed: 0, partial: 0, late: 0, skipped: 0, yielded: 0, events: 0, deferredMs: 0 };
  /** the last `TRACE_SIZE` staged batches, oldest first: where a burst's time went (benchmark, debugging) */
  readonly trace: StagedTrace[] = [];
  /** windows found with no time left for one chunk: not staged again (their clocks go to the due-now workers) */
  private readonly tooLate = new Set<number>();
  private readonly open: Gauge;
  private readonly outcomes: Counter<'outcome'>;
  private readonly deferred: Counter;
  /** measured staged write time per clock (ms), smoothed; starts pessimistic */
  private msPerClock: number;

  constructor(
    private readonly o: BurstStagingOptions,
    private readonly firing: StagedFiring,
  ) {
    this.msPerClock = o.initialMsPerClock ?? 1;
    const mf = new MetricFactory(o.registry);
    this.open = mf.gauge(
      'aftersales_escalation_firing_staged_open',
      'Staged firing transactions written ahead and waiting for their window',
    );
    this.outcomes = mf.counter(
      'aftersales_escalation_firing_staged_total',
      'Staged firing transactions by outcome (committed on time; partial = committed on time without the chunks there was no time for; late or yielded to a change to one of its clocks = rolled back; skipped = no time left to write one chunk, nothing claimed; failed)',
      ['outcome'],
    );
    zeroSeries(this.outcomes, labelProduct({ outcome: ['committed', 'partial', 'late', 'yielded', 'skipped', 'failed'] }));
    this.deferred = mf.counter(
      'aftersales_escalation_firing_staged_deferred_seconds_total',
      'Time staged writers waited for the due-now workers to catch up',
    );
  }

  private now(): number {
    return this.o.clock.now().getTime();
  }

  /** Staged batches written and waiting for their window's end to commit. */
  get holding(): number {
    return this.held;
  }

  /** Resolves once every staged batch in flight for a window ending by `upTo` (epoch ms; all when omitted) has finished. */
  async settled(upTo = Infinity): Promise<void> {
    const done = [...this.inFlight.values()].flat().filter((t) => t.windowStart + this.o.windowMs <= upTo);
    await Promise.all(done.map((t) => t.done ?? Promise.resolve()));
  }

  start(): void {
    if (this.o.lookaheadMs <= 0 || this.o.slots <= 0) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.scanning;
    await Promise.all([...this.inFlight.values()].flat().map((t) => t.done ?? Promise.resolve()));
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.scanning = this.scan()
        .catch((e: unknown) => this.log.error(`burst staging scan failed: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => {
          this.scanning = undefined;
          this.schedule(this.scanEveryMs);
        });
    }, ms);
    this.timer.unref?.();
  }

  /**
   * How often the lookahead is scanned: a twentieth of it (a burst is seen at least 95 % of the
   * lookahead ahead), between the firing interval and a second — the scan counts every clock due
   * in the lookahead, so scanning a long one as often as the due-now workers look would cost a core.
   */
  get scanEveryMs(): number {
    return Math.max(this.o.intervalMs, Math.min(1000, Math.round(this.o.lookaheadMs / 20)));
  }

  /** Finds dense windows ahead and stages them while slots are free. */
  async scan(): Promise<void> {
    if (this.slotsUsed >= this.o.slots) return;
    const { windowMs } = this.o;
    const now = this.now();
    // a window starting within two widths is left to the due-now workers: too close to write ahead
    const from = (Math.floor(now / windowMs) + 2) * windowMs;
    const to = now + this.o.lookaheadMs;
    if (to <= from) return;
    const windows = await this.o.clocks.denseWindows(windowMs, from, to, this.o.denseClocks);
    for (const late of this.tooLate) if (late < from) this.tooLate.delete(late);
    const dense = windows
      .map(({ w, n }) => {
        const start = Number(w) * windowMs;
        // the count includes clocks our open transactions hold (their rows move only at commit)
        const held = (this.inFlight.get(start) ?? []).reduce((sum, t) => sum + t.claimed, 0);
        return { start, unstaged: n - held };
      })
      .filter((d) => !this.tooLate.has(d.start));
    // every dense window gets a batch before any gets another: slots held by the remainders of a
    // burst's first windows left its last windows none until the first committed — too late to write
    for (;;) {
      let staged = false;
      for (const d of dense) {
        if (d.unstaged < this.o.denseClocks) continue;
        if (this.slotsUsed >= this.o.slots) return;
        this.stage(d.start, d.unstaged);
        d.unstaged -= this.o.batchSize;
        staged = true;
      }
      if (!staged) return;
    }
  }

  private stage(windowStart: number, unstaged: number): void {
    const entry: StagedBatch = { windowStart, claimed: this.o.batchSize, left: this.o.batchSize, done: Promise.resolve() };
    const trace: StagedTrace = {
      windowStart,
      stagedAt: this.now(),
      unstaged,
      claimed: 0,
      written: 0,
      msPerClock: this.msPerClock,
      outcome: 'committed',
    };
    entry.trace = trace;
    this.trace.push(trace);
    if (this.trace.length > TRACE_SIZE) this.trace.shift();
    const list = this.inFlight.get(windowStart) ?? [];
    list.push(entry);
    this.inFlight.set(windowStart, list);
    this.slotsUsed++;
    this.open.inc();
    entry.done = this.stageWindow(entry)
      .catch((e: unknown) => {
        const outcome =
          e instanceof NoTimeToStage ? 'skipped' : e instanceof LateStaging ? 'late' : e instanceof YieldToChange ? 'yielded' : 'failed';
        trace.outcome = outcome;
        this.outcomes.inc({ outcome });
        if (outcome === 'failed') this.log.error(`burst staging failed: ${e instanceof Error ? e.message : String(e)}`);
        else this.stats[outcome]++;
        if (outcome === 'skipped') this.tooLate.add(windowStart);
      })
      .finally(() => {
        this.slotsUsed--;
        this.open.dec();
        const rest = (this.inFlight.get(windowStart) ?? []).filter((t) => t !== entry);
        if (rest.length) this.inFlight.set(windowStart, rest);
        else this.inFlight.delete(windowStart);
        if (!this.stopped) this.schedule(0); // a free slot: look for the next burst now
      });
  }

  /**
   * Holds the written batch until `until`. A change to one of its clocks (a pause, a stop, a
   * re-base) waits on the batch's row locks meanwhile; the change wins: the batch rolls back at
   * once, the change applies, and the window is staged again (or fired by the due-now workers)
   * under the changed plans. Only such a change blocks on these rows — claims skip locked ones.
   */
  private async holdUntil(m: EntityManager, until: number): Promise<void> {
    for (;;) {
      const left = until - this.now();
      if (left <= 0) return;
      await sleep(Math.min(left, CHANGE_CHECK_MS));
      if (this.now() >= until) return;
      await this.yieldToWaitingChange(m);
    }
  }

  private async yieldToWaitingChange(m: EntityManager): Promise<void> {
    if (await this.o.clocks.blocksAnother(m)) throw new YieldToChange();
  }

  /**
   * Waits while the due-now workers are behind, as long as every batch still to be written —
   * `batch` and those queued with it — can be written before its window (`mayDefer`). In a
   * transaction (`m`), a change waiting on its row locks still wins meanwhile.
   */
  private async dueNowFirst(batch: PendingWrite, m?: EntityManager): Promise<void> {
    // how long and how often it waits is real elapsed time (performance.now), whatever the clock says
    const started = performance.now();
    let checked = started;
    let deferred = false;
    while (!this.stopped && this.firing.dueNowLagMs() > DUE_NOW_LAG_MS && mayDefer(this.now(), this.pendingWrites(batch), this.budget())) {
      await sleep(DEFER_STEP_MS);
      deferred = true;
      if (m && performance.now() - checked >= CHANGE_CHECK_MS) {
        checked = performance.now();
        await this.yieldToWaitingChange(m);
      }
    }
    const waited = performance.now() - started;
    if (deferred) {
      this.stats.deferredMs += waited;
      this.deferred.inc(waited / 1000);
    }
  }

  /** Every batch still to write: those in flight and `batch` (a direct `stageWindow` call is not in flight). */
  private pendingWrites(batch: PendingWrite): PendingWrite[] {
    const all: PendingWrite[] = [...this.inFlight.values()].flat();
    return all.includes(batch) ? all : [...all, batch];
  }

  private budget() {
    return { msPerClock: this.msPerClock, writers: Math.max(1, this.o.writers), safety: WRITE_SAFETY, marginMs: WRITE_MARGIN_MS };
  }

  /** Can `clocks` still be written before `windowEnd`, at the measured write speed with room to spare? */
  private fitsBefore(clocks: number, windowEnd: number): boolean {
    return this.now() + WRITE_SAFETY * clocks * this.msPerClock <= windowEnd;
  }

  /**
   * Writes claimed clocks chunk by chunk, due-now work first between chunks. Stops before a chunk
   * there is no time left for: the rest stay as they are, for the due-now workers once this commits.
   */
  private async writeChunks(
    m: EntityManager,
    clocks: ClockRow[],
    batch: StagedBatch,
    windowEnd: number,
  ): Promise<{ fired: Fired[]; cut: boolean }> {
    const fired: Fired[] = [];
    for (let i = 0; i < clocks.length; i += this.o.chunkSize) {
      const chunk = clocks.slice(i, i + this.o.chunkSize);
      batch.left = clocks.length - i;
      await this.dueNowFirst(batch, m);
      if (!this.fitsBefore(chunk.length, windowEnd)) return { fired, cut: true };
      const started = this.now();
      if (batch.trace) batch.trace.writeFrom ??= started;
      // everything due inside the window fires at its end, stamped with the commit time
      fired.push(...(await this.firing.fireClaimed(m, chunk, windowEnd - 1, new Date(windowEnd))));
      this.msPerClock = 0.7 * this.msPerClock + 0.3 * ((this.now() - started) / chunk.length);
      if (batch.trace) {
        batch.trace.written += chunk.length;
        batch.trace.writtenAt = this.now();
        batch.trace.slowestMsPerClock = Math.max(batch.trace.slowestMsPerClock ?? 0, (this.now() - started) / chunk.length);
      }
    }
    return { fired, cut: false };
  }

  /** Waits for a writer's turn; the returned release may be called more than once. */
  private async writerTurn(): Promise<() => void> {
    if (this.writing >= Math.max(1, this.o.writers)) await new Promise<void>((r) => this.waitingWriters.push(r));
    else this.writing++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waitingWriters.shift();
      if (next)
        next(); // the turn passes on: `writing` stays the same
      else this.writing--;
    };
  }

  /** Stages (part of) one window; rejects with `LateStaging` when it could not be written by the window's end. */
  async stageWindow(batch: StagedBatch): Promise<void> {
    const { windowStart } = batch;
    const windowEnd = windowStart + this.o.windowMs;
    let fired: Fired[] = [];
    let cut = false;
    const release = await this.writerTurn();
    if (batch.trace) batch.trace.turnAt = this.now();
    try {
      await this.dueNowFirst(batch);
      // no time left for even one chunk: claim nothing (claimed rows would only keep the due-now workers waiting)
      if (!this.fitsBefore(Math.min(this.o.chunkSize, this.o.batchSize), windowEnd)) throw new NoTimeToStage();
      await this.o.dataSource.transaction(async (m) => {
        const clocks = await this.o.clocks.claimWindow(m, windowStart, windowEnd, this.o.batchSize);
        batch.claimed = batch.left = clocks.length;
        if (batch.trace) {
          batch.trace.claimed = clocks.length;
          batch.trace.claimedAt = this.now();
        }
        if (clocks.length === 0) return;
        ({ fired, cut } = await this.writeChunks(m, clocks, batch, windowEnd));
        batch.left = 0; // written (or cut): nothing more to write while it is held
        release(); // the next staged batch may write while this one waits
        if (fired.length === 0 && cut) throw new LateStaging(); // nothing written in time
        if (windowEnd - this.now() < -LATE_TOLERANCE_MS) throw new LateStaging();
        this.held++;
        try {
          await this.holdUntil(m, windowEnd);
        } finally {
          this.held--;
        }
      });
    } finally {
      batch.left = 0;
      release();
    }
    this.firing.count(fired, this.now(), 'staged');
    if (fired.length) {
      if (cut) this.stats.partial++;
      else this.stats.committed++;
      this.stats.events += fired.length;
      this.outcomes.inc({ outcome: cut ? 'partial' : 'committed' });
      if (batch.trace) batch.trace.outcome = cut ? 'partial' : 'committed';
    }
  }
}

/** A staged transaction: its window, the clocks it claimed (the batch size until it has) and has still to write. */
export interface StagedBatch extends PendingWrite {
  claimed: number;
  done?: Promise<void>;
  trace?: StagedTrace;
}

/** Where a staged batch's time went (epoch ms): staged, writer's turn, first and last chunk written. */
export interface StagedTrace {
  windowStart: number;
  stagedAt: number;
  /** clocks of the window counted and not held by batches in flight when it was staged */
  unstaged: number;
  turnAt?: number;
  claimedAt?: number;
  writeFrom?: number;
  writtenAt?: number;
  claimed: number;
  written: number;
  /** the smoothed write time per clock when it was staged, and its slowest chunk's */
  msPerClock: number;
  slowestMsPerClock?: number;
  outcome: 'committed' | 'partial' | 'late' | 'skipped' | 'yielded' | 'failed';
}

/** Staged batches kept in `trace`. */
const TRACE_SIZE = 200;

/** Due-now workers further behind than this (ms) go first: staged writers wait between chunks. */
const DUE_NOW_LAG_MS = 200;
/** How often a waiting staged writer looks again (ms). */
const DEFER_STEP_MS = 10;
/** Writers stop waiting when the batches still to write need this many times their measured write time … */
const WRITE_SAFETY = 2;
/** … plus this (ms) to be written before their windows. */
const WRITE_MARGIN_MS = 1000;

/** How often a held batch looks for a change waiting on its clocks (ms). */
const CHANGE_CHECK_MS = 50;

/** How late a staged commit may be and still carry the window's end as its firing time. */
const LATE_TOLERANCE_MS = 20;

/** A change to a clock of the batch is waiting: roll back and let it through. */
export class YieldToChange extends Error {
  constructor() {
    super('a change to a staged clock is waiting: staged firing rolled back');
  }
}

export class LateStaging extends Error {
  constructor(message = 'staged firing not ready by its window end: rolled back, the due-now workers fire it') {
    super(message);
  }
}

/** Not even one chunk can be written by the window's end: nothing claimed, and the window is not staged again. */
export class NoTimeToStage extends LateStaging {
  constructor() {
    super('no time left to stage this window: nothing claimed, the due-now workers fire it');
  }
}
