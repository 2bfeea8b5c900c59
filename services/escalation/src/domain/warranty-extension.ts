/**
 * Warranty extension by supplier-caused downtime.
 *
 * Seed 003 (维保及售后服务体系, §1 item 1):
 *   "维保期内所有因软件质量及服务问题而导致软件停止运行的，维保期将按停运天数（按24小时计算）相应延长。"
 *   — during the maintenance period, every stoppage caused by software quality or by our service
 *   extends the maintenance period by the number of days stopped, a day being counted as 24 hours.
 *
 * Reading: downtime is measured in elapsed time (not business time, not calendar dates), and
 * converted to days of 24 hours. The seed does not say what happens to a remainder below 24 hours.
 * We round UP (ceiling): a started 24-hour period counts as a whole day, so 1 h down → 1 day,
 * 24 h → 1 day, 24 h + 1 ms → 2 days. Reasons: the clause is the supplier's own commitment, so an
 * ambiguity is read in the customer's favour, and rounding down would make every stoppage shorter
 * than a day — the common case — worth nothing. `rounding: 'floor'` (whole 24-hour periods only)
 * is available for contracts that say so.
 *
 * Several stoppages are added up first (overlaps counted once) and rounded once, so three 8-hour
 * stoppages give 1 day, not 3.
 */

import { DAY_MS, formatLocalDate, parseLocalDate } from '@aftersales/calendar';
import { ClockRow } from './clock-row';
import { DOWNTIME, LEGACY_LADDER } from './clock-targets';

export type ExtensionRounding = 'ceil' | 'floor';

/** Days of warranty extension for `downtimeMs` of supplier-caused downtime. */
export function warrantyExtensionDays(downtimeMs: number, rounding: ExtensionRounding = 'ceil'): number {
  if (!Number.isFinite(downtimeMs)) throw new RangeError(`downtimeMs must be finite, got ${downtimeMs}`);
  if (downtimeMs <= 0) return 0;
  return rounding === 'floor' ? Math.floor(downtimeMs / DAY_MS) : Math.ceil(downtimeMs / DAY_MS);
}

/** Total downtime of possibly overlapping intervals `[from, to)`, each overlap counted once. */
export function totalDowntimeMs(intervals: ReadonlyArray<{ from: Date; to: Date }>): number {
  const sorted = intervals
    .map(({ from, to }, i) => {
      const f = from.getTime();
      const t = to.getTime();
      if (!Number.isFinite(f) || !Number.isFinite(t)) throw new RangeError(`intervals[${i}]: invalid date`);
      if (t < f) throw new RangeError(`intervals[${i}]: to is before from`);
      return [f, t] as const;
    })
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let curStart = -Infinity;
  let curEnd = -Infinity;
  for (const [f, t] of sorted) {
    if (f > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = f;
      curEnd = t;
    } else if (t > curEnd) curEnd = t;
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

/**
 * Supplier-caused downtime of one stoppage: the wall time from `from` (the report, or the reopen)
 * to `to` (the resolution) minus the waits on the customer within it — the customer's time is not
 * the supplier's fault. Waits are clipped to the stoppage, overlaps count once, an open wait runs
 * to `to`.
 */
export function downtimeMs(from: Date, to: Date, customerWaits: ReadonlyArray<{ from: Date; to?: Date | null }>): number {
  const start = from.getTime();
  const end = to.getTime();
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new RangeError('downtimeMs: invalid date');
  if (end <= start) return 0;
  const clipped = customerWaits
    .map((w) => ({ from: Math.max(start, w.from.getTime()), to: Math.min(end, (w.to ?? to).getTime()) }))
    .filter((w) => w.to > w.from)
    .map((w) => ({ from: new Date(w.from), to: new Date(w.to) }));
  return Math.max(0, end - start - totalDowntimeMs(clipped));
}

/** Warranty end date (`YYYY-MM-DD`) moved `days` calendar days later. */
export function extendWarranty(warrantyEnd: string, days: number): string {
  const d = parseLocalDate(warrantyEnd);
  if (d === undefined) throw new RangeError(`warrantyEnd: expected YYYY-MM-DD, got ${JSON.stringify(warrantyEnd)}`);
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be an integer >= 0, got ${days}`);
  return formatLocalDate(d + days);
}

/**
 * The clock a case's warranty extension is measured on, among its stopped clocks: the downtime
 * clock of a case under a contract (it runs to resolution whichever targets were met before, and
 * takes every wait); for a case started before 1700000000004, its P1 main clock. None otherwise.
 */
export function downtimeClockOf<T extends Pick<ClockRow, 'target' | 'severity' | 'contract_id'>>(stopped: readonly T[]): T | undefined {
  return (
    stopped.find((k) => k.target === DOWNTIME && k.contract_id) ??
    stopped.find((k) => k.target === LEGACY_LADDER && k.severity === 'P1' && k.contract_id)
  );
}

/**
 * Supplier-caused downtime on a downtime clock from its start to `until` (its stop, or now for a
 * running one): the waits on the customer do not count, whatever the policy pauses on.
 */
export function downtimeOf(
  startedAt: Date,
  until: Date,
  waits: ReadonlyArray<{ from: Date; to?: Date | null; reason?: string }>,
): { ms: number; minutes: number; warrantyDays: number } {
  const ms = downtimeMs(
    startedAt,
    until,
    waits.filter((w) => w.reason === 'customer'),
  );
  return { ms, minutes: Math.round(ms / 60_000), warrantyDays: warrantyExtensionDays(ms) };
}
