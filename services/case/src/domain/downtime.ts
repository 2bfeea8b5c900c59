/**
 * Downtime as an engineer declares it on a case (seed 003: only supplier-caused stoppages extend
 * the warranty). Pure checks of the declared periods: each ends after it starts, none overlap,
 * none end in the future. Field names follow the request body (`periods[i].to`).
 */

export interface DowntimePeriod {
  from: Date;
  to: Date;
}

export interface PeriodProblem {
  field: string;
  reason: string;
}

export const MAX_PERIODS = 50;

export function periodProblems(periods: readonly DowntimePeriod[], now: Date): PeriodProblem[] {
  const problems: PeriodProblem[] = [];
  periods.forEach((p, i) => {
    if (p.to.getTime() <= p.from.getTime()) problems.push({ field: `periods[${i}].to`, reason: 'a downtime ends after it starts' });
    else if (p.to.getTime() > now.getTime()) problems.push({ field: `periods[${i}].to`, reason: 'a downtime cannot end in the future' });
  });
  if (problems.length) return problems;
  const order = periods.map((p, i) => ({ ...p, i })).sort((a, b) => a.from.getTime() - b.from.getTime());
  for (const [k, after] of order.entries()) {
    const before = order[k - 1];
    if (before && after.from.getTime() < before.to.getTime()) {
      problems.push({ field: `periods[${after.i}]`, reason: `overlaps periods[${before.i}]: each stoppage is declared once` });
    }
  }
  return problems;
}

/** Total minutes of non-overlapping periods (checked by `periodProblems` first). */
export function periodMinutes(periods: readonly DowntimePeriod[]): number {
  return Math.round(periods.reduce((sum, p) => sum + (p.to.getTime() - p.from.getTime()), 0) / 60_000);
}
