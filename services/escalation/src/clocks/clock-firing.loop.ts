import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Outbox, OutboxEvent } from '@aftersales/messaging';
import { Clock, SERVICE_CONFIG, SERVICE_SETTINGS } from '@aftersales/platform';
import { Counter, Histogram } from 'prom-client';
import { DataSource, EntityManager } from 'typeorm';
import {
  breachAtOf,
  clockFires,
  ClockPause,
  ClockRow,
  Fired,
  FiringEvent,
  FiringPlan,
  FiringPlans,
  measuredBy,
  PRESET_POLICIES,
  SEVERITIES,
  TARGET_KINDS,
} from '../domain';
import { labelProduct, zeroSeries } from '@aftersales/observability';
import { EscalationSettings } from '../escalation.config';
import { CalendarStore } from '../policies/calendar-store';
import { PolicyStore } from '../policies/policy-store';
import { ClockRepository } from './clock.repository';
import { FiringRepository } from './firing.repository';
import { BurstStaging } from './burst-staging';
import { ServiceConfig } from '@aftersales/config';
import { MetricFactory, PlatformMetrics } from '@aftersales/observability';

/**
 * Fires due escalation events. The rows are the timers: every tick claims running clocks whose
 * `next_due_at` has passed (`FOR UPDATE SKIP LOCKED`, so replicas and workers share the work and
 * never the same clock), records each due event in `clock_firings` (primary key = exactly once),
 * appends its escalation event to the outbox and moves `next_due_at` to the next planned event —
 * all in one transaction. A crash before commit leaves the clock due for the next claimer.
 *
 * Throughput (a million open clocks, bursts of tens of thousands due in the same second): a tick
 * is a handful of statements whatever the batch size — one claim, one read of fired keys and
 * pauses, one multi-row insert of firings, one outbox append, one `UPDATE … FROM unnest` of
 * `next_due_at` — and plans of clocks without pauses come from per-policy templates
 * (`FiringPlans`). `ESCALATION_FIRING_CONCURRENCY` workers claim in parallel; a worker with
 * nothing to do sleeps until the earliest `next_due_at` (at most `ESCALATION_FIRING_INTERVAL_MS`,
 * the bound for clocks another replica adds meanwhile). Bursts denser than that are written ahead
 * and committed on time by `BurstStaging` (`ESCALATION_FIRING_LOOKAHEAD_MS`, 0 turns it off).
 */
@Injectable()
export class ClockFiringLoop implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('ClockFiringLoop');
  readonly intervalMs: number;
  readonly batchSize: number;
  readonly concurrency: number;
  private readonly workers: Worker[] = [];
  private stopped = true;
  private readonly firingPlans = new FiringPlans();
  private readonly lateness: Histogram<'severity' | 'target'>;
  private readonly rungsFired: Counter<'severity' | 'rung'>;
  private readonly fired: Counter<'kind'>;
  private readonly breaches: Counter<'severity' | 'target' | 'region'>;
  private readonly passes: Counter;
  readonly staging: BurstStaging;
  /** sees every committed firing's lateness (seconds); the benchmark's exact percentiles */
  observer?: (lateSeconds: number, e: FiringEvent, path: 'due' | 'staged') => void;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly dataSource: DataSource,
    private readonly metrics: PlatformMetrics,
    private readonly outbox: Outbox,
    private readonly clocks: ClockRepository,
    private readonly firings: FiringRepository,
    private readonly policies: PolicyStore,
    private readonly calendars: CalendarStore,
    private readonly clock: Clock,
    @Inject(SERVICE_SETTINGS) settings: EscalationSettings,
  ) {
    this.intervalMs = settings.ESCALATION_FIRING_INTERVAL_MS;
    this.batchSize = settings.ESCALATION_FIRING_BATCH;
    // leave the pool room for the HTTP handlers, consumers and the outbox relay
    const pool = config.database.poolSize;
    this.concurrency = Math.min(settings.ESCALATION_FIRING_CONCURRENCY, Math.max(1, pool - 2));
    this.staging = new BurstStaging(
      {
        dataSource,
        clocks,
        lookaheadMs: settings.ESCALATION_FIRING_LOOKAHEAD_MS,
        windowMs: settings.ESCALATION_FIRING_WINDOW_MS,
        denseClocks: settings.ESCALATION_FIRING_DENSE,
        // staged transactions hold connections: what the workers leave of the pool, minus two
        slots: Math.min(settings.ESCALATION_FIRING_STAGED, Math.max(0, pool - 2 - this.concurrency)),
        batchSize: settings.ESCALATION_FIRING_STAGE_BATCH,
        chunkSize: settings.ESCALATION_FIRING_STAGE_CHUNK,
        writers: settings.ESCALATION_FIRING_STAGE_WRITERS,
        intervalMs: this.intervalMs,
        registry: metrics.registry,
        clock,
      },
      this,
    );
    const mf = new MetricFactory(metrics.registry);
    this.lateness = mf.histogram(
      'aftersales_escalation_firing_lateness_seconds',
      'Escalation firing lateness (commit - due), by case severity and the target the clock measures',
      ['severity', 'target'],
      [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600],
    );
    this.rungsFired = mf.counter('aftersales_escalation_rungs_fired_total', 'Escalation ladder rungs fired', ['severity', 'rung']);
    this.fired = mf.counter('aftersales_escalation_events_fired_total', 'Escalation events fired (warnings, breaches, rungs)', ['kind']);
    this.passes = mf.counter(
      'aftersales_escalation_firing_passes_total',
      'Claim-and-fire passes of the due-now workers (a stalled loop shows no increase)',
    );
    this.breaches = mf.counter(
      'aftersales_sla_breaches_total',
      'SLA targets breached (the breach event fired), by case severity, target and region',
      ['severity', 'target', 'region'],
    );
    // every bounded series at 0 from the start: the first breach shows in increase()
    const severities = SEVERITIES;
    const longest = Math.max(...PRESET_POLICIES.flatMap((p) => SEVERITIES.map((v) => p.severities[v].ladder.rungs.length)));
    const rungs = Array.from({ length: longest }, (_, i) => String(i));
    zeroSeries(this.lateness, labelProduct({ severity: severities, target: [...TARGET_KINDS, 'none'] }));
    zeroSeries(this.rungsFired, labelProduct({ severity: severities, rung: rungs }));
    zeroSeries(this.fired, labelProduct({ kind: ['warning', 'breach', 'rung'] }));
    zeroSeries(this.breaches, labelProduct({ severity: severities, target: TARGET_KINDS, region: [config.region] }));
  }

  onModuleInit(): void {
    this.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.stop();
  }

  /** Starts the due-now workers and burst staging (at module start; tests restart a stopped loop). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.workers.length = 0;
    for (let i = 0; i < this.concurrency; i++) {
      // behind until its first claim says otherwise: staging must not take the cores from a backlog not yet claimed
      const w: Worker = { behindSince: 0 };
      this.workers.push(w);
      // staggered, so parallel workers do not claim in lockstep
      this.schedule(w, Math.round((this.intervalMs * i) / this.concurrency));
    }
    this.staging.start();
  }

  /** Stops the workers and staging, and waits for their passes in flight (an outage, a shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.workers) {
      if (w.timer) clearTimeout(w.timer);
      w.timer = undefined;
    }
    await Promise.all([...this.workers.map((w) => w.running), this.staging.stop()]);
  }

  private schedule(w: Worker, ms: number): void {
    if (this.stopped) return;
    w.timer = setTimeout(() => {
      w.timer = undefined;
      w.running = this.tick(w)
        .then(async (n) => this.schedule(w, n >= this.batchSize ? 0 : await this.idleMs()))
        .catch((e: unknown) => {
          w.behindSince = undefined;
          this.log.error(`firing tick failed: ${e instanceof Error ? e.message : String(e)}`);
          this.schedule(w, this.intervalMs);
        })
        .finally(() => (w.running = undefined));
    }, ms);
    w.timer.unref?.();
  }

  /** How long a worker with nothing due may sleep: until the earliest future `next_due_at`, at most the interval. */
  private async idleMs(): Promise<number> {
    if (this.stopped) return this.intervalMs;
    const next = await this.clocks.msToNextDue(this.clock.now());
    const ms = next === null ? this.intervalMs : Math.ceil(next);
    return Math.max(1, Math.min(this.intervalMs, ms));
  }

  /**
   * How far behind the due-now workers are (ms): the due time of the oldest clock they hold
   * claimed, or know to be waiting after a full batch, against now; 0 when they have caught up.
   * Burst staging writes only while this is small, so work already due goes first.
   */
  dueNowLagMs(): number {
    let oldest = Infinity;
    for (const w of this.workers) if (w.behindSince !== undefined) oldest = Math.min(oldest, w.behindSince);
    return oldest === Infinity ? 0 : Math.max(0, this.clock.now().getTime() - oldest);
  }

  /**
   * Fires everything due by the clock's now, after the workers' passes in flight and the staged
   * batches whose windows have ended: when it returns, nothing due by now is left unfired (with a
   * ManualClock, nothing else falls due until the test steps it). Returns the clocks it claimed.
   */
  async fireDue(): Promise<number> {
    let claimed = 0;
    for (;;) {
      await Promise.all([...this.workers.map((w) => w.running), this.staging.settled(this.clock.now().getTime())]);
      const n = await this.tick();
      claimed += n;
      if (n < this.batchSize) break;
    }
    await Promise.all(this.workers.map((w) => w.running ?? Promise.resolve()));
    return claimed;
  }

  /**
   * One claim-and-fire pass over what is due by the clock's now (read once per batch); returns how
   * many clocks it claimed. Public: tests step a ManualClock and call it.
   */
  async tick(w: Worker = {}): Promise<number> {
    let fired: Fired[] = [];
    let lastDue: number | undefined;
    const now = this.clock.now();
    this.passes.inc();
    const claimed = await this.dataSource.transaction(async (m) => {
      const clocks = await this.clocks.claimDue(m, now, this.batchSize);
      if (clocks.length === 0) return 0;
      // clocks is not empty here
      w.behindSince = new Date(clocks[0]!.next_due_at).getTime();
      lastDue = new Date(clocks[clocks.length - 1]!.next_due_at).getTime();
      fired = await this.fireClaimed(m, clocks, now.getTime(), now);
      return clocks.length;
    });
    // a full batch leaves more due behind it, no earlier than its last clock; otherwise caught up
    w.behindSince = claimed >= this.batchSize ? lastDue : undefined;
    if (fired.length) this.count(fired, this.clock.now().getTime(), 'due');
    return claimed;
  }

  /**
   * Fires, inside the caller's transaction, the events of claimed (locked) clocks that are due by
   * `upTo`, stamped `firedAt`, and moves each clock's `next_due_at` to its first event after `upTo`.
   */
  async fireClaimed(m: EntityManager, clocks: ClockRow[], upTo: number, firedAt: Date): Promise<Fired[]> {
    const ids = clocks.map((c) => c.id);
    const firedByClock = await this.firings.firedKeysOf(m, ids);
    const pausesByClock = await this.clocks.pausesOf(m, ids);

    const due: Array<{ clock: ClockRow; plan: FiringPlan; e: FiringEvent }> = [];
    const nextIds: string[] = [];
    const nextAt: Array<Date | null> = [];
    for (const clock of clocks) {
      const plan = await this.planOf(m, clock, pausesByClock.get(clock.id) ?? []);
      const firedKeys = firedByClock.get(clock.id);
      let next: FiringEvent | undefined;
      for (const e of plan.events) {
        if (firedKeys?.has(e.key) || !clockFires(clock.target, e)) continue;
        if (e.at > upTo) {
          next = e;
          break;
        }
        due.push({ clock, plan, e });
      }
      nextIds.push(clock.id);
      nextAt.push(next ? new Date(next.at) : null);
    }

    const out: Fired[] = [];
    if (due.length > 0) {
      const fresh = await this.firings.recordFirings(
        m,
        due.map((d) => ({ clockId: d.clock.id, key: d.e.key, dueAt: new Date(d.e.at) })),
        firedAt,
      );
      const events: OutboxEvent[] = [];
      for (const d of due) {
        if (!fresh.has(`${d.clock.id}|${d.e.key}`)) continue; // fired before (a re-plan rewound next_due_at)
        events.push(...this.eventsFor(d.clock, d.plan, d.e, firedAt));
        out.push({ clock: d.clock, e: d.e });
      }
      if (events.length > 0) await this.outbox.append(m, events);
    }
    await this.clocks.setNextDue(m, nextIds, nextAt);
    return out;
  }

  /**
   * Before clocks stop at `at` (a target met, the case resolved): fires, in the caller's
   * transaction and on its row locks, what fell due by then and has not fired because the loop
   * lags — a rung reached before the milestone is still told, once; nothing after it fires.
   */
  async fireDueBy(m: EntityManager, clocks: ClockRow[], at: Date): Promise<void> {
    const running = clocks.filter((c) => c.state === 'running');
    if (running.length === 0) return;
    const now = this.clock.now();
    const fired = await this.fireClaimed(m, running, Math.min(at.getTime(), now.getTime()), now);
    this.count(fired, this.clock.now().getTime(), 'due'); // the caller commits right after
  }

  /** Metrics of committed firings: lateness is measured against the commit, not the stamp. */
  count(fired: Fired[], committedAt: number, path: 'due' | 'staged'): void {
    for (const { clock, e } of fired) {
      const late = Math.max(0, (committedAt - e.at) / 1000);
      this.lateness.observe({ severity: clock.severity, target: e.target ?? measuredBy(clock.target) ?? 'none' }, late);
      this.fired.inc({ kind: e.kind });
      if (e.kind === 'rung') this.rungsFired.inc({ severity: clock.severity, rung: String(e.rungIndex) });
      if (e.kind === 'breach') this.breaches.inc({ severity: clock.severity, target: String(e.target), region: clock.region });
      this.observer?.(late, e, path);
    }
  }

  private async planOf(m: EntityManager, clock: ClockRow, pauses: ClockPause[]): Promise<FiringPlan> {
    const policy = await this.policies.version(clock.policy_id ?? 'ladder-b', clock.policy_version ?? 1, m);
    const calendar = await this.calendars.get(clock.calendar_id, m);
    return this.firingPlans.plan(policy, clock.severity, calendar, new Date(clock.started_at).getTime(), pauses);
  }

  private eventsFor(clock: ClockRow, plan: FiringPlan, e: FiringEvent, firedAt: Date): OutboxEvent[] {
    const base = {
      clockId: clock.id,
      caseId: clock.case_id,
      region: clock.region,
      severity: clock.severity,
      policyId: plan.policyId,
      policyVersion: plan.policyVersion,
      eventKey: e.key,
      dueAt: new Date(e.at).toISOString(),
      firedAt: firedAt.toISOString(),
    };
    const envelope = { aggregateType: 'case', aggregateId: clock.case_id };
    switch (e.kind) {
      case 'warning': {
        const breachAt = breachAtOf(plan, e.target);
        return [
          {
            ...envelope,
            type: 'escalation.warning.v1',
            data: { ...base, target: e.target as string, breachAt: breachAt === null ? null : new Date(breachAt).toISOString() },
          },
        ];
      }
      case 'breach':
        return [{ ...envelope, type: 'escalation.target.breached.v1', data: { ...base, target: e.target as string } }];
      case 'rung': {
        const index = e.rungIndex as number;
        const rung = plan.rungs[index]!; // the plan made this event from its own rungs
        const out: OutboxEvent[] = [
          {
            ...envelope,
            type: 'escalation.rung.reached.v1',
            data: {
              ...base,
              target: plan.ladderTarget,
              rungIndex: index,
              afterMinutes: rung.afterMinutes,
              label: rung.label,
              notifyRoles: [...rung.notifyRoles],
              ...(rung.action ? { action: rung.action } : {}),
            },
          },
        ];
        if (rung.action === 'open-vendor-case') {
          out.push({ ...envelope, type: 'escalation.vendor-case.required.v1', data: { ...base, rungIndex: index } });
        }
        return out;
      }
    }
  }
}

/** A due-now worker: its timer, its pass in flight, and the due time of the oldest clock it knows to be waiting. */
interface Worker {
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  behindSince?: number;
}
