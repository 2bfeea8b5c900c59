import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ClockPause, clockFires, ClockRow, dueEvents, EscalationPlan, measuredBy, planRungs } from '../domain';
import { CalendarStore } from '../policies/calendar-store';
import { PolicyStore } from '../policies/policy-store';
import { ClockRepository } from './clock.repository';
import { FiringRepository } from './firing.repository';

/**
 * Builds a clock's plan from its row, its recorded pauses and its fired events, and writes back
 * what the firing loop needs (`next_due_at`) and what people see (`paused_since`). Every change
 * to a clock (start, pause, resume, re-base, firing) goes through `replan`, so the row never
 * disagrees with the plan.
 */
@Injectable()
export class ClockPlans {
  constructor(
    private readonly policies: PolicyStore,
    private readonly calendars: CalendarStore,
    private readonly clocks: ClockRepository,
    private readonly firings: FiringRepository,
  ) {}

  async plan(m: EntityManager, clock: ClockRow, pauses: readonly ClockPause[], now: Date): Promise<EscalationPlan> {
    const policy = await this.policies.version(clock.policy_id ?? 'ladder-b', clock.policy_version ?? 1, m);
    const calendar = await this.calendars.get(clock.calendar_id, m);
    return planRungs({ policy, severity: clock.severity, calendar, startedAt: new Date(clock.started_at), pauses, now });
  }

  /** Recomputes `next_due_at` and `paused_since` of running clocks after a change. */
  async replan(m: EntityManager, clocks: readonly ClockRow[], now: Date): Promise<void> {
    const running = clocks.filter((c) => c.state === 'running');
    const ids = running.map((c) => c.id);
    const pauses = await this.clocks.pausesOf(m, ids);
    const fired = await this.firings.firedKeysOf(m, ids);
    for (const c of running) {
      const list = pauses.get(c.id) ?? [];
      const plan = await this.plan(m, c, list, now);
      const done = fired.get(c.id) ?? new Set<string>();
      const next = dueEvents(plan).find((e) => !done.has(e.key) && clockFires(c.target, e));
      const open = plan.pausedAtNow ? list.find((p) => !p.to) : undefined;
      await this.clocks.setPlanned(m, c.id, next?.at ?? null, open?.from ?? null);
    }
  }

  /**
   * Sets a running clock's `due_at` to the breach of the target it measures as planned now, past the
   * waits known (an open one as if it ended now) — for a clock that took waits or a target it did not
   * start with. Returns the breach time, if the version has one for the target.
   */
  async writePlannedBreach(m: EntityManager, clock: ClockRow, now: Date): Promise<Date | undefined> {
    const kind = measuredBy(clock.target);
    const pauses = (await this.clocks.pausesOf(m, [clock.id])).get(clock.id) ?? [];
    const closed = pauses.map((p) => ({ ...p, to: p.to ?? new Date(Math.max(now.getTime(), p.from.getTime())) }));
    const breachAt = (await this.plan(m, clock, closed, now)).targets.find((t) => t.kind === kind)?.breachAt ?? undefined;
    if (breachAt) await this.clocks.setDueAt(m, clock.id, breachAt);
    return breachAt;
  }
}
