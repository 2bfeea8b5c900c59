/**
 * The warranty ledger (seed 003, 维保及售后服务体系 §1.1): "维保期内所有因软件质量及服务问题而导致
 * 软件停止运行的，维保期将按停运天数（按24小时计算）相应延长" — every stoppage caused by our software
 * or our service extends the warranty by the days stopped, a day being 24 hours.
 *
 * - Only supplier-caused downtime counts; customer, third-party and force-majeure downtime is
 *   listed (so the desk sees why) but earns nothing. Downtime whose cause nobody has set yet is
 *   listed as pending and earns nothing until an engineer classifies it.
 * - A case's downtime is the sum of its stoppages (each episode from report or reopen to
 *   resolution, minus waits on the customer, as escalation measured it), or the periods an
 *   engineer declared instead. It is turned into days once per case: 24-hour days, a started day
 *   counted whole (ceiling) — the clause is the supplier's own promise, so its ambiguity is read
 *   in the customer's favour, and rounding down would make every stoppage under a day (the common
 *   case) worth nothing. 48 h → 2 days, 48 h 1 min → 3 days, 30 min → 1 day.
 * - The ledger is recomputed from these facts on every change (cause corrected, case reopened and
 *   resolved again): each case has one line per warranty it extends, so nothing counts twice.
 * - A warranty's end = its base end + the days of its lines. The base is the end before the first
 *   extension; an end edited in the registry since becomes the new base.
 */

import { formatLocalDate, parseLocalDate } from '@aftersales/calendar';

export type DowntimeCause = 'supplier' | 'customer' | 'third-party' | 'force-majeure';

export const DAY_MINUTES = 24 * 60;

export interface CaseDowntimeFacts {
  cause: DowntimeCause | null;
  /** minutes of each stoppage escalation measured (one per episode) */
  measuredMinutes: readonly number[];
  /** minutes an engineer declared instead (null: none declared) */
  declaredMinutes: number | null;
}

export interface CaseExtension {
  minutes: number;
  days: number;
  counted: boolean;
  source: 'measured' | 'declared';
  /** why it does or does not count */
  note: string;
}

/** 24-hour days, a started day counted whole. */
export function daysFor(minutes: number): number {
  if (!Number.isFinite(minutes) || minutes <= 0) return 0;
  return Math.ceil(minutes / DAY_MINUTES);
}

export function caseExtension(f: CaseDowntimeFacts): CaseExtension {
  const source = f.declaredMinutes !== null ? 'declared' : 'measured';
  const minutes = f.declaredMinutes ?? f.measuredMinutes.reduce((a, b) => a + Math.max(0, b), 0);
  if (f.cause === 'supplier') {
    return { minutes, days: daysFor(minutes), counted: true, source, note: 'supplier-caused: extends the warranty' };
  }
  const note = f.cause === null ? 'cause not classified yet: not counted' : `${f.cause}-caused: not counted`;
  return { minutes, days: 0, counted: false, source, note };
}

/** `YYYY-MM-DD` plus whole days. */
export function addDays(date: string, days: number): string {
  const d = parseLocalDate(date);
  if (d === undefined) throw new RangeError(`expected YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return formatLocalDate(d + days);
}

/**
 * The base a recomputation starts from: the recorded base, unless the end was edited since the
 * last extension was applied (then the edited end is the new base).
 */
export function baseEnd(current: string, recorded: { baseEndsOn: string; appliedEndsOn: string } | null): string {
  if (!recorded || recorded.appliedEndsOn !== current) return current;
  return recorded.baseEndsOn;
}

export function extendedEnd(base: string, lines: ReadonlyArray<{ days: number }>): string {
  return addDays(
    base,
    lines.reduce((a, l) => a + l.days, 0),
  );
}
