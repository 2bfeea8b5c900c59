import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { OutboxEvent } from '@aftersales/messaging';
import { SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { Counter, Histogram } from 'prom-client';
import { EntityManager } from 'typeorm';
import { ClockPause, DueEvent, EscalationPlan, nextDueEvent } from '../domain';
import { CLOCK_COLUMNS, ClockPlans, ClockRow } from './clock-plans';

/**
 * Fires due escalation events. The rows are the timers: every tick claims running clocks whose
 * `next_due_at` has passed (`FOR UPDATE SKIP LOCKED`, so replicas share the work and never the
 * same clock), records each due event in `clock_firings` (primary key = exactly once), appends
 * its escalation event to the outbox and moves `next_due_at` to the next planned event — all in
 * one transaction. A crash before commit leaves the clock due for the next claimer.
 */
@Injectable()
export class ClockFiringLoop implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('ClockFiringLoop');
  readonly intervalMs: number;
  readonly batchSize: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private readonly lateness: Histogram;
  private readonly rungsFired: Counter<'severity' | 'rung'>;
  private readonly fired: Counter<'kind'>;

  constructor(
    @Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime,
    private readonly plans: ClockPlans,
  ) {
    const env = rt.env ?? {};
    this.intervalMs = positiveInt(env.ESCALATION_FIRING_INTERVAL_MS, 250);
    this.batchSize = positiveInt(env.ESCALATION_FIRING_BATCH, 100);
    const registers = [rt.metrics.registry];
    this.lateness = new Histogram({
      name: 'aftersales_escalation_firing_lateness_seconds',
      help: 'Escalation firing lateness: fired_at - due_at',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600],
      registers,
    });
    this.rungsFired = new Counter({
      name: 'aftersales_escalation_rungs_fired_total',
      help: 'Escalation ladder rungs fired',
      labelNames: ['severity', 'rung'],
      registers,
    });
    this.fired = new Counter({
      name: 'aftersales_escalation_events_fired_total',
      help: 'Escalation events fired (warnings, breaches, rungs)',
      labelNames: ['kind'],
      registers,
    });
  }

  onModuleInit(): void {
    this.stopped = false;
    this.schedule(this.intervalMs);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.tick()
        .then((n) => this.schedule(n >= this.batchSize ? 0 : this.intervalMs))
        .catch((e: unknown) => {
          this.log.error(`firing tick failed: ${e instanceof Error ? e.message : String(e)}`);
          this.schedule(this.intervalMs);
        })
        .finally(() => (this.running = undefined));
    }, ms);
    this.timer.unref?.();
  }

  /** One claim-and-fire pass; returns how many clocks it claimed. */
  async tick(): Promise<number> {
    const s = this.rt.config.database.schema;
    return this.rt.dataSource.transaction(async (m) => {
      const clocks: ClockRow[] = await m.query(
        `SELECT ${CLOCK_COLUMNS}
           FROM "${s}".sla_clocks
          WHERE state = 'running' AND next_due_at <= now()
          ORDER BY next_due_at
          LIMIT $1
          FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      );
      if (clocks.length === 0) return 0;
      const ids = clocks.map((c) => c.id);
      const firedByClock = await this.plans.firedKeysOf(m, s, ids);
      const pausesByClock = await this.plans.pausesOf(m, s, ids);
      for (const clock of clocks) {
        await this.fireClock(m, s, clock, firedByClock.get(clock.id) ?? new Set(), pausesByClock.get(clock.id) ?? []);
      }
      return clocks.length;
    });
  }

  private async fireClock(m: EntityManager, s: string, clock: ClockRow, fired: Set<string>, pauses: ClockPause[]): Promise<void> {
    const now = new Date();
    const plan = await this.plans.plan(m, clock, pauses, now);
    const events: OutboxEvent[] = [];
    let next = nextDueEvent(plan, fired);
    while (next && next.at.getTime() <= now.getTime()) {
      const firedAt = new Date();
      const inserted: unknown[] = await m.query(
        `INSERT INTO "${s}".clock_firings (clock_id, event_key, fired_at, due_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING event_key`,
        [clock.id, next.key, firedAt, next.at],
      );
      if (inserted.length > 0) {
        events.push(...this.eventsFor(clock, plan, next, firedAt));
        this.lateness.observe(Math.max(0, (firedAt.getTime() - next.at.getTime()) / 1000));
        this.fired.inc({ kind: next.kind });
        if (next.kind === 'rung') this.rungsFired.inc({ severity: clock.severity, rung: String(next.rungIndex) });
      }
      fired.add(next.key);
      next = nextDueEvent(plan, fired);
    }
    if (events.length > 0) await this.rt.outbox.append(m, events);
    await m.query(`UPDATE "${s}".sla_clocks SET next_due_at = $2 WHERE id = $1`, [clock.id, next?.at ?? null]);
  }

  private eventsFor(clock: ClockRow, plan: EscalationPlan, e: DueEvent, firedAt: Date): OutboxEvent[] {
    const base = {
      clockId: clock.id,
      caseId: clock.case_id,
      region: clock.region,
      severity: clock.severity,
      policyId: plan.policyId,
      policyVersion: plan.policyVersion,
      eventKey: e.key,
      dueAt: e.at.toISOString(),
      firedAt: firedAt.toISOString(),
    };
    const envelope = { aggregateType: 'case', aggregateId: clock.case_id };
    switch (e.kind) {
      case 'warning': {
        const target = plan.targets.find((t) => t.kind === e.target);
        return [
          {
            ...envelope,
            type: 'escalation.warning.v1',
            data: { ...base, target: e.target as string, breachAt: target?.breachAt?.toISOString() ?? null },
          },
        ];
      }
      case 'breach':
        return [{ ...envelope, type: 'escalation.target.breached.v1', data: { ...base, target: e.target as string } }];
      case 'rung': {
        const rung = plan.rungs[e.rungIndex as number];
        const out: OutboxEvent[] = [
          {
            ...envelope,
            type: 'escalation.rung.reached.v1',
            data: {
              ...base,
              target: plan.ladderTarget,
              rungIndex: rung.index,
              afterMinutes: rung.afterMinutes,
              label: rung.label,
              notifyRoles: [...rung.notifyRoles],
              ...(rung.action ? { action: rung.action } : {}),
            },
          },
        ];
        if (rung.action === 'open-vendor-case') {
          out.push({ ...envelope, type: 'escalation.vendor-case.required.v1', data: { ...base, rungIndex: rung.index } });
        }
        return out;
      }
    }
  }
}

function positiveInt(v: string | undefined, fallback: number): number {
  const n = v === undefined ? NaN : Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
