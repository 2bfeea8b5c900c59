import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ClockPause, dueEvents, EscalationPlan, PauseReason, planRungs, Severity } from '../domain';
import { clockFires } from './clock-targets';
import { CalendarStore } from '../policies/calendar-store';
import { PolicyStore } from '../policies/policy-store';

/** The columns of a clock row that its plan depends on. */
export interface ClockRow {
  id: string;
  case_id: string;
  region: string;
  severity: Severity;
  target: string;
  episode: number;
  state: string;
  started_at: Date;
  policy_id: string | null;
  policy_version: number | null;
  calendar_id: string | null;
  contract_id: string | null;
  paused_since: Date | null;
  stopped_at: Date | null;
}

export const CLOCK_COLUMNS =
  'id, case_id, region, severity, target, episode, state, started_at, policy_id, policy_version, calendar_id, contract_id, paused_since, stopped_at';

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
  ) {}

  async pausesOf(m: EntityManager, s: string, clockIds: string[]): Promise<Map<string, ClockPause[]>> {
    const out = new Map<string, ClockPause[]>();
    if (clockIds.length === 0) return out;
    const rows: Array<{ clock_id: string; from_at: Date; to_at: Date | null; reason: PauseReason }> = await m.query(
      `SELECT clock_id, from_at, to_at, reason FROM "${s}".clock_pauses WHERE clock_id = ANY($1::uuid[]) ORDER BY from_at`,
      [clockIds],
    );
    for (const r of rows) {
      let list = out.get(r.clock_id);
      if (!list) out.set(r.clock_id, (list = []));
      list.push({ from: new Date(r.from_at), to: r.to_at ? new Date(r.to_at) : null, reason: r.reason });
    }
    return out;
  }

  async firedKeysOf(m: EntityManager, s: string, clockIds: string[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    if (clockIds.length === 0) return out;
    const rows: Array<{ clock_id: string; event_key: string }> = await m.query(
      `SELECT clock_id, event_key FROM "${s}".clock_firings WHERE clock_id = ANY($1::uuid[])`,
      [clockIds],
    );
    for (const r of rows) {
      let set = out.get(r.clock_id);
      if (!set) out.set(r.clock_id, (set = new Set()));
      set.add(r.event_key);
    }
    return out;
  }

  async plan(m: EntityManager, clock: ClockRow, pauses: readonly ClockPause[], now: Date): Promise<EscalationPlan> {
    const policy = await this.policies.version(clock.policy_id ?? 'ladder-b', clock.policy_version ?? 1, m);
    const calendar = await this.calendars.get(clock.calendar_id, m);
    return planRungs({ policy, severity: clock.severity, calendar, startedAt: new Date(clock.started_at), pauses, now });
  }

  /** Recomputes `next_due_at` and `paused_since` of running clocks after a change. */
  async replan(m: EntityManager, s: string, clocks: ClockRow[], now: Date): Promise<void> {
    const running = clocks.filter((c) => c.state === 'running');
    const ids = running.map((c) => c.id);
    const pauses = await this.pausesOf(m, s, ids);
    const fired = await this.firedKeysOf(m, s, ids);
    for (const c of running) {
      const list = pauses.get(c.id) ?? [];
      const plan = await this.plan(m, c, list, now);
      const done = fired.get(c.id) ?? new Set<string>();
      const next = dueEvents(plan).find((e) => !done.has(e.key) && clockFires(c.target, e));
      const open = plan.pausedAtNow ? list.find((p) => !p.to) : undefined;
      await m.query(`UPDATE "${s}".sla_clocks SET next_due_at = $2, paused_since = $3 WHERE id = $1`, [
        c.id,
        next?.at ?? null,
        open?.from ?? null,
      ]);
    }
  }
}
