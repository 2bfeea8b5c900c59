import { dueEvents, DueEventKind, EscalationPlan, PlanInput, planRungs, Severity, TargetKind } from '../domain';

/**
 * `fired`: recorded in `clock_firings`; `pending`: not fired yet; `paused`: undetermined (an open
 * pause stops the clock); `stopped`: never fires — the clock stopped first (its target was met, or
 * the case resolved).
 */
export type TimelineStatus = 'fired' | 'pending' | 'paused' | 'stopped';

export interface TimelineEntry {
  /** the firing key (`rung:<i>`, `warning:<target>`, `breach:<target>`), as in `clock_firings.event_key` */
  key: string;
  kind: DueEventKind;
  /** planned wall-clock time, or null while an open pause makes it undetermined (or the clock stopped before) */
  dueAt: string | null;
  status: TimelineStatus;
  firedAt: string | null;
  target?: TargetKind;
  rungIndex?: number;
  afterMinutes?: number;
  label?: string;
  notifyRoles?: string[];
  action?: string;
}

export interface Timeline {
  policyId: string;
  policyVersion: number;
  severity: Severity;
  calendarId: string;
  ladderTarget: TargetKind;
  startedAt: string;
  now: string;
  pausedAtNow: boolean;
  elapsedMinutes: number;
  events: TimelineEntry[];
}

export interface TimelineInput extends PlanInput {
  /** event key → fired_at, from `clock_firings` */
  firings?: ReadonlyMap<string, Date>;
  /** which planned events belong to this clock (`clockFires` for its row target: each target has a clock of its own) */
  fires?: (e: { target?: TargetKind }) => boolean;
  /** when the clock stopped: its plan ends there, and what had not fired by then never fires */
  stoppedAt?: Date | null;
}

/** The planned warnings, breaches and rungs of one clock, in firing order, each marked fired or pending. */
export function buildTimeline(input: TimelineInput): Timeline {
  const stoppedAt = input.stoppedAt ?? null;
  const plan: EscalationPlan = planRungs(
    stoppedAt ? { ...input, pauses: [...(input.pauses ?? []), { from: stoppedAt, to: null }] } : input,
  );
  const firings = input.firings ?? new Map<string, Date>();
  const entry = (key: string, kind: DueEventKind, at: Date | null): TimelineEntry => {
    const firedAt = firings.get(key) ?? null;
    return {
      key,
      kind,
      dueAt: at ? at.toISOString() : null,
      status: firedAt ? 'fired' : stoppedAt ? 'stopped' : at ? 'pending' : 'paused',
      firedAt: firedAt ? firedAt.toISOString() : null,
    };
  };
  const withDetail = (e: TimelineEntry, rungIndex?: number, target?: TargetKind): TimelineEntry => {
    if (rungIndex === undefined) return { ...e, target };
    const r = plan.rungs[rungIndex]!; // the plan made the entry from its own rungs
    return {
      ...e,
      target: plan.ladderTarget,
      rungIndex,
      afterMinutes: r.afterMinutes,
      label: r.label,
      notifyRoles: [...r.notifyRoles],
      ...(r.action ? { action: r.action } : {}),
    };
  };

  const fires = input.fires ?? (() => true);
  const events = dueEvents(plan)
    .filter(fires)
    .map((e) => withDetail(entry(e.key, e.kind, e.at), e.rungIndex, e.target));
  // undetermined (an open pause stopped the clock first): listed after the determined ones
  for (const t of plan.targets) {
    if (!fires({ target: t.kind })) continue;
    if (t.warnState !== null && t.warnAt === null) events.push(withDetail(entry(`warning:${t.kind}`, 'warning', null), undefined, t.kind));
    if (t.breachAt === null) events.push(withDetail(entry(`breach:${t.kind}`, 'breach', null), undefined, t.kind));
  }
  for (const r of plan.rungs) if (r.dueAt === null && fires({})) events.push(withDetail(entry(`rung:${r.index}`, 'rung', null), r.index));

  return {
    policyId: plan.policyId,
    policyVersion: plan.policyVersion,
    severity: plan.severity,
    calendarId: plan.calendarId,
    ladderTarget: plan.ladderTarget,
    startedAt: plan.startedAt.toISOString(),
    now: plan.now.toISOString(),
    pausedAtNow: plan.pausedAtNow,
    elapsedMinutes: plan.elapsedMinutes,
    events,
  };
}
