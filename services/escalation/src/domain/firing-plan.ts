import { BusinessCalendar, MINUTE_MS } from '@aftersales/calendar';
import { ClockPause, DueEventKind, dueEvents, planRungs } from './escalation-plan';
import { Rung, Severity, SlaPolicy, TargetKind } from './sla-policy';
import type { ClockRow } from './clock-row';

/** One due event of a clock, epoch ms (the firing loop's view of `DueEvent`). */
export interface FiringEvent {
  key: string;
  kind: DueEventKind;
  at: number;
  rungIndex?: number;
  target?: TargetKind;
}

/** An event fired in a transaction, counted once that commits. */
export interface Fired {
  clock: ClockRow;
  e: FiringEvent;
}

/** What the firing loop needs of a clock's plan: its determined events in firing order. */
export interface FiringPlan {
  policyId: string;
  policyVersion: number;
  ladderTarget: TargetKind;
  rungs: readonly Rung[];
  /** warnings, breaches and rungs with a due time, ordered as `dueEvents` orders them */
  events: FiringEvent[];
}

interface TemplateEvent {
  key: string;
  kind: DueEventKind;
  /** business ms on the clock, as `SlaClock.dueAtMinutes` rounds them */
  ms: number;
  rungIndex?: number;
  target?: TargetKind;
}

const KIND_ORDER: Record<DueEventKind, number> = { warning: 0, breach: 1, rung: 2 };
const byFiringOrder = (a: FiringEvent, b: FiringEvent) =>
  a.at - b.at || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.rungIndex ?? 0) - (b.rungIndex ?? 0);

/**
 * Plans for the firing loop, cheap at a million clocks. A clock without pauses counts straight
 * from `startedAt`, so each event is due at `calendar.addBusinessMs(startedAt, its minutes)` —
 * exactly what `planRungs` computes then — and the event list (keys, minutes) depends only on
 * policy version and severity: it is built once and cached. A clock with pauses goes through
 * `planRungs` itself.
 */
export class FiringPlans {
  private readonly templates = new Map<string, TemplateEvent[]>();

  plan(policy: SlaPolicy, severity: Severity, calendar: BusinessCalendar, startedAt: number, pauses: readonly ClockPause[]): FiringPlan {
    const sp = policy.severities[severity];
    if (!sp) throw new RangeError(`policy ${policy.id} has no severity ${severity}`);
    const head = { policyId: policy.id, policyVersion: policy.version, ladderTarget: sp.ladder.target, rungs: sp.ladder.rungs };
    if (pauses.length > 0) {
      const plan = planRungs({ policy, severity, calendar, startedAt: new Date(startedAt), pauses, now: new Date(startedAt) });
      return { ...head, events: dueEvents(plan).map((e) => ({ ...e, at: e.at.getTime() })) };
    }
    const events = this.template(policy, severity).map((t): FiringEvent => ({
      key: t.key,
      kind: t.kind,
      at: t.ms > 0 ? calendar.addBusinessMs(startedAt, t.ms) : startedAt,
      rungIndex: t.rungIndex,
      target: t.target,
    }));
    return { ...head, events: events.sort(byFiringOrder) };
  }

  private template(policy: SlaPolicy, severity: Severity): TemplateEvent[] {
    const key = `${policy.id}@${policy.version}/${severity}`;
    let t = this.templates.get(key);
    if (t) return t;
    const sp = policy.severities[severity];
    const ms = (minutes: number) => Math.round(minutes * MINUTE_MS);
    t = [];
    for (const [kind, minutes] of Object.entries(sp.targets) as Array<[TargetKind, number | undefined]>) {
      if (minutes === undefined) continue;
      if (sp.warnAtShare !== undefined) t.push({ key: `warning:${kind}`, kind: 'warning', ms: ms(minutes * sp.warnAtShare), target: kind });
      t.push({ key: `breach:${kind}`, kind: 'breach', ms: ms(minutes), target: kind });
    }
    sp.ladder.rungs.forEach((r, i) => t.push({ key: `rung:${i}`, kind: 'rung', ms: ms(r.afterMinutes), rungIndex: i }));
    this.templates.set(key, t);
    return t;
  }
}

/** The breach time of `target` in a plan (what a warning tells), or null when undetermined. */
export function breachAtOf(plan: FiringPlan, target: TargetKind | undefined): number | null {
  const key = `breach:${target}`;
  return plan.events.find((e) => e.key === key)?.at ?? null;
}
