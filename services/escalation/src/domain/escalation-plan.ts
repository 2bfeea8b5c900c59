/**
 * Escalation plan: when does each rung of a ladder fire, and when are the pre-breach warnings and
 * breaches of each target due, for one case clock?
 *
 * The clock counts business time on the contract's calendar from `startedAt`, minus paused
 * intervals (waiting on the customer, …). A rung with `afterMinutes = N` is due at the instant the
 * clock's N-th minute completes (same convention as `BusinessCalendar.addBusinessMinutes`,
 * including "a due exactly at a closing boundary is that boundary"). While a pause is open the
 * clock is stopped indefinitely, so everything not yet reached before it is undetermined
 * (`dueAt: null`, state `paused`); it becomes determined again when the pause gets its `to`.
 *
 * - Pauses may carry a `reason`; a pause whose reason is not in the severity's `pausesOn` does
 *   not stop this clock. Pauses without a reason always count.
 * - Pauses may overlap, touch, start before `startedAt` (clipped) or lie in closed time (no
 *   effect then); they are merged. A pause with `to < from` is an error.
 * - All targets of a severity share this one clock (same start, same pauses). A target that starts
 *   elsewhere (e.g. on-site time counted from dispatch) is planned with its own `startedAt` via
 *   `SlaClock` directly.
 *
 * `GET /cases/{id}/timeline` and `POST /policies/{id}/simulate` return plans; the clock engine
 * stores `nextDue(...)` / `nextDueEvent(...)` as the case's `next_due_at`.
 */

import { BusinessCalendar, MINUTE_MS } from '@aftersales/calendar';
import { PauseReason, Rung, SEVERITIES, Severity, SlaPolicy, TargetKind } from './sla-policy';

export interface ClockPause {
  from: Date;
  /** absent or null: the pause is still open */
  to?: Date | null;
  reason?: PauseReason;
}

/** `due`: due at or before `now`; `pending`: due later; `paused`: undetermined (open pause). */
export type DueState = 'due' | 'pending' | 'paused';

export interface PlannedRung extends Rung {
  index: number;
  dueAt: Date | null;
  state: DueState;
}

export interface PlannedTarget {
  kind: TargetKind;
  minutes: number;
  /** warning before breach at `warnAtShare` of the target (null when the policy has no share) */
  warnAt: Date | null;
  warnState: DueState | null;
  breachAt: Date | null;
  breachState: DueState;
}

export interface EscalationPlan {
  policyId: string;
  policyVersion: number;
  severity: Severity;
  calendarId: string;
  /** the target kind the ladder measures */
  ladderTarget: TargetKind;
  startedAt: Date;
  now: Date;
  /** the clock is stopped at `now` */
  pausedAtNow: boolean;
  /** business minutes on the clock at `now` (pauses excluded; 0 before `startedAt`) */
  elapsedMinutes: number;
  rungs: PlannedRung[];
  targets: PlannedTarget[];
}

export interface PlanInput {
  policy: SlaPolicy;
  severity: Severity;
  calendar: BusinessCalendar;
  startedAt: Date;
  pauses?: readonly ClockPause[];
  /** the time the plan is looked at (states, `pausedAtNow`): the caller's clock, never read here */
  now: Date;
}

function ms(d: Date, what: string): number {
  const t = d instanceof Date ? d.getTime() : NaN;
  if (!Number.isFinite(t)) throw new RangeError(`${what}: invalid date`);
  return t;
}

/**
 * One SLA clock: business time on a calendar since `startedAt`, excluding pauses.
 * Epoch-ms API; build once and query many times.
 */
export class SlaClock {
  readonly startedAt: number;
  /** running segments `[start, end)`; the last `end` is `Infinity` unless a pause is open */
  private readonly segStart: number[] = [];
  private readonly segEnd: number[] = [];
  /** business ms in each finite segment */
  private readonly segOpen: number[] = [];
  /** merged pauses `[from, to)`, `to = Infinity` for an open pause */
  readonly pauses: ReadonlyArray<readonly [number, number]>;

  constructor(
    private readonly calendar: BusinessCalendar,
    startedAt: Date | number,
    pauses: readonly ClockPause[] = [],
    countedReasons?: readonly PauseReason[],
  ) {
    this.startedAt = typeof startedAt === 'number' ? startedAt : ms(startedAt, 'startedAt');
    const raw: Array<[number, number]> = [];
    pauses.forEach((p, i) => {
      if (p.reason !== undefined && countedReasons !== undefined && !countedReasons.includes(p.reason)) return;
      const from = ms(p.from, `pauses[${i}].from`);
      const to = p.to === undefined || p.to === null ? Infinity : ms(p.to, `pauses[${i}].to`);
      if (to < from) throw new RangeError(`pauses[${i}]: to is before from`);
      const f = Math.max(from, this.startedAt);
      if (to <= f) return;
      raw.push([f, to]);
    });
    raw.sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const p of raw) {
      const last = merged[merged.length - 1];
      if (last && p[0] <= last[1]) last[1] = Math.max(last[1], p[1]);
      else merged.push([p[0], p[1]]);
    }
    this.pauses = merged;
    let cursor = this.startedAt;
    for (const [f, t] of merged) {
      if (f > cursor) this.pushSegment(cursor, f);
      cursor = t;
    }
    if (cursor !== Infinity) this.pushSegment(cursor, Infinity);
  }

  private pushSegment(s: number, e: number): void {
    this.segStart.push(s);
    this.segEnd.push(e);
    this.segOpen.push(e === Infinity ? Infinity : this.calendar.businessMsBetween(s, e));
  }

  /** Is the clock stopped by a pause at `t`? */
  isPausedAt(t: number): boolean {
    return this.pauses.some(([f, to]) => f <= t && t < to);
  }

  /** Business ms on the clock at instant `t`. */
  elapsedMsAt(t: number): number {
    let sum = 0;
    // segStart, segEnd and segOpen grow together: i indexes all three
    for (let i = 0; i < this.segStart.length; i++) {
      const s = this.segStart[i]!;
      if (s >= t) break;
      const e = this.segEnd[i]!;
      sum += e <= t ? this.segOpen[i]! : this.calendar.businessMsBetween(s, t);
    }
    return sum;
  }

  /**
   * Instant at which the clock reaches `target` business ms (the moment that much business time
   * has completed), or `null` when an open pause stops the clock before.
   */
  dueAtMs(target: number): number | null {
    if (!(target > 0)) return this.startedAt;
    let consumed = 0;
    for (let i = 0; i < this.segStart.length; i++) {
      const open = this.segOpen[i]!;
      if (consumed + open >= target) return this.calendar.addBusinessMs(this.segStart[i]!, target - consumed);
      consumed += open;
    }
    return null;
  }

  dueAtMinutes(minutes: number): Date | null {
    const t = this.dueAtMs(Math.round(minutes * MINUTE_MS));
    return t === null ? null : new Date(t);
  }
}

function stateOf(at: Date | null, now: number): DueState {
  if (at === null) return 'paused';
  return at.getTime() <= now ? 'due' : 'pending';
}

/** The planned rungs, warnings and breaches of one case clock. */
export function planRungs(input: PlanInput): EscalationPlan {
  const { policy, severity, calendar, startedAt } = input;
  const sp = policy.severities[severity];
  if (!sp) throw new RangeError(`policy ${policy.id} has no severity ${severity}`);
  const now = input.now;
  const nowMs = ms(now, 'now');
  const clock = new SlaClock(calendar, startedAt, input.pauses ?? [], sp.pausesOn);

  const rungs: PlannedRung[] = sp.ladder.rungs.map((r, index) => {
    const dueAt = clock.dueAtMinutes(r.afterMinutes);
    return { ...r, notifyRoles: [...r.notifyRoles], index, dueAt, state: stateOf(dueAt, nowMs) };
  });

  const targets: PlannedTarget[] = [];
  for (const [kind, minutes] of Object.entries(sp.targets) as Array<[TargetKind, number | undefined]>) {
    if (minutes === undefined) continue;
    const breachAt = clock.dueAtMinutes(minutes);
    const warnAt = sp.warnAtShare === undefined ? null : clock.dueAtMinutes(minutes * sp.warnAtShare);
    targets.push({
      kind,
      minutes,
      warnAt,
      warnState: sp.warnAtShare === undefined ? null : stateOf(warnAt, nowMs),
      breachAt,
      breachState: stateOf(breachAt, nowMs),
    });
  }

  return {
    policyId: policy.id,
    policyVersion: policy.version,
    severity,
    calendarId: calendar.id,
    ladderTarget: sp.ladder.target,
    startedAt: new Date(clock.startedAt),
    now,
    pausedAtNow: clock.isPausedAt(nowMs),
    elapsedMinutes: nowMs <= clock.startedAt ? 0 : clock.elapsedMsAt(nowMs) / MINUTE_MS,
    rungs,
    targets,
  };
}

/** Plans for every severity (what `POST /policies/{id}/simulate` shows). */
export function simulatePolicy(
  input: Omit<PlanInput, 'severity'> & { severities?: readonly Severity[] },
): Record<Severity, EscalationPlan> {
  const out = {} as Record<Severity, EscalationPlan>;
  for (const severity of input.severities ?? SEVERITIES) out[severity] = planRungs({ ...input, severity });
  return out;
}

/**
 * The earliest rung that has a due time and has not fired yet (overdue rungs included, so a
 * clock engine that was down fires them at once); ties go to the lower index. `null` when
 * nothing is left or everything left is undetermined (paused).
 */
export function nextDue(
  plan: EscalationPlan,
  firedRungIndexes: Iterable<number>,
): { rungIndex: number; at: Date; rung: PlannedRung } | null {
  const fired = new Set(firedRungIndexes);
  let best: PlannedRung | undefined;
  for (const r of plan.rungs) {
    if (fired.has(r.index) || r.dueAt === null) continue;
    if (best === undefined || r.dueAt.getTime() < (best.dueAt as Date).getTime()) best = r;
  }
  return best ? { rungIndex: best.index, at: best.dueAt as Date, rung: best } : null;
}

export type DueEventKind = 'warning' | 'breach' | 'rung';

export interface DueEvent {
  /** stable idempotency key within a clock: `rung:<index>`, `warning:<target>`, `breach:<target>` */
  key: string;
  kind: DueEventKind;
  at: Date;
  rungIndex?: number;
  target?: TargetKind;
}

const KIND_ORDER: Record<DueEventKind, number> = { warning: 0, breach: 1, rung: 2 };

/** Every determined event of a plan (warnings, breaches, rungs), in firing order. */
export function dueEvents(plan: EscalationPlan): DueEvent[] {
  const out: DueEvent[] = [];
  for (const t of plan.targets) {
    if (t.warnAt) out.push({ key: `warning:${t.kind}`, kind: 'warning', at: t.warnAt, target: t.kind });
    if (t.breachAt) out.push({ key: `breach:${t.kind}`, kind: 'breach', at: t.breachAt, target: t.kind });
  }
  for (const r of plan.rungs) {
    if (r.dueAt) out.push({ key: `rung:${r.index}`, kind: 'rung', at: r.dueAt, rungIndex: r.index });
  }
  return out.sort(
    (a, b) => a.at.getTime() - b.at.getTime() || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.rungIndex ?? 0) - (b.rungIndex ?? 0),
  );
}

/** The earliest event whose key is not in `firedKeys`, or `null`. */
export function nextDueEvent(plan: EscalationPlan, firedKeys: Iterable<string>): DueEvent | null {
  const fired = new Set(firedKeys);
  return dueEvents(plan).find((e) => !fired.has(e.key)) ?? null;
}
