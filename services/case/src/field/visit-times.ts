import { FieldError } from '@aftersales/platform';

/** Recorded times may run a little ahead of the server (an engineer's phone clock); beyond that they are typos. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export interface VisitTimes {
  plannedArrivalAt: Date;
  arrivedAt: Date | null;
  completedAt: Date | null;
}

export type VisitStage = 'planned' | 'on-site' | 'completed';

export function visitStage(v: VisitTimes): VisitStage {
  if (v.completedAt) return 'completed';
  if (v.arrivedAt) return 'on-site';
  return 'planned';
}

/** Outcome of a check: field errors (400), a state conflict (409), or fine. */
export type TimeCheck =
  { ok: true } | { ok: false; kind: 'field'; errors: FieldError[] } | { ok: false; kind: 'conflict'; message: string };

const ok: TimeCheck = { ok: true };
const field = (name: string, reason: string): TimeCheck => ({ ok: false, kind: 'field', errors: [{ field: name, reason }] });

/** The engineer arrives once, not in the future, and not before the visit was dispatched. */
export function checkArrival(v: VisitTimes & { dispatchedAt: Date }, arrivedAt: Date, now: Date): TimeCheck {
  if (v.arrivedAt) return { ok: false, kind: 'conflict', message: `the engineer already arrived at ${v.arrivedAt.toISOString()}` };
  if (arrivedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) return field('arrivedAt', 'arrivedAt must not be in the future');
  if (arrivedAt < v.dispatchedAt) return field('arrivedAt', `arrivedAt must not be before the dispatch at ${v.dispatchedAt.toISOString()}`);
  return ok;
}

/** Work completes once, after the arrival, and not in the future. */
export function checkCompletion(v: VisitTimes, completedAt: Date, now: Date): TimeCheck {
  if (v.completedAt) return { ok: false, kind: 'conflict', message: `the visit was already completed at ${v.completedAt.toISOString()}` };
  if (!v.arrivedAt) return { ok: false, kind: 'conflict', message: 'the engineer has not arrived yet: record the arrival first' };
  if (completedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) return field('completedAt', 'completedAt must not be in the future');
  if (completedAt < v.arrivedAt) return field('completedAt', `completedAt must not be before the arrival at ${v.arrivedAt.toISOString()}`);
  return ok;
}
