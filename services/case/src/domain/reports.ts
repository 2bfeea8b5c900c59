import { zoneOffsetMs } from '@aftersales/calendar';

/**
 * What management watches (domain §10) as pure arithmetic over facts the reports capability
 * gathers: percentiles, first-call resolution, SLA attainment, backlog ages, periods and CSV.
 */

/** Nearest-rank percentile (p in 0–100) of unsorted values; null for none. p50 of [1,2,3,4] is 2, p90 of 1…10 is 9. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

export interface CaseFacts {
  caseType: string;
  tier: string | null;
  reopenCount: number;
  resolvedAt: Date | null;
  /** ever dispatched on site (a visit, or the on-site status) */
  onSite: boolean;
  /** ever escalated to second line or a vendor */
  escalated: boolean;
}

/**
 * First-call resolution: an incident the hotline (L1) resolved without dispatching anyone on site,
 * without escalating to second line or a vendor, and that never came back (no reopen).
 */
export function firstCallResolved(c: CaseFacts): boolean {
  return c.caseType === 'incident' && c.resolvedAt !== null && c.tier === 'L1' && !c.onSite && !c.escalated && c.reopenCount === 0;
}

/** Share of `part` in `whole` (0–1, four places), null when there is nothing to divide. */
export function rate(part: number, whole: number): number | null {
  return whole ? Math.round((part / whole) * 10_000) / 10_000 : null;
}

/**
 * The target an SLA clock measures (escalation's row target): `ladder:<kind>` and `<kind>` measure
 * `<kind>`; the legacy `ladder` row and the `downtime` clock measure no target.
 */
export function measuredTarget(rowTarget: string): string | null {
  if (rowTarget === 'ladder' || rowTarget === 'downtime') return null;
  return rowTarget.startsWith('ladder:') ? rowTarget.slice('ladder:'.length) : rowTarget;
}

export const AGE_BUCKETS = ['lt-1d', '1-3d', '3-7d', '7-30d', 'gt-30d'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

export function ageBucket(openedAt: Date, now: Date): AgeBucket {
  const days = (now.getTime() - openedAt.getTime()) / 86_400_000;
  if (days < 1) return 'lt-1d';
  if (days < 3) return '1-3d';
  if (days < 7) return '3-7d';
  if (days < 30) return '7-30d';
  return 'gt-30d';
}

/** The period an instant falls in, in a time zone: ISO week `2026-W10` or month `2026-03`. */
export function periodOf(t: Date, groupBy: 'week' | 'month', timeZone: string): string {
  const local = localYmd(t, timeZone);
  if (groupBy === 'month') return local.slice(0, 7);
  const [y, m, d] = ymdOf(local);
  const day = new Date(Date.UTC(y, m - 1, d));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the week's Thursday decides its year
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** Year, month and day of a `YYYY-MM-DD` date. */
function ymdOf(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  if (y === undefined || m === undefined || d === undefined) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  return [y, m, d];
}

function localYmd(t: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(t);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** A value as CSV cell text: empty for none, ISO for an instant, JSON for anything structured. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/** RFC 4180 CSV of a header and rows. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  const cell = (v: unknown) => {
    const t = cellText(v);
    return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Minutes between two instants (two places), null when either is missing. */
export function minutesBetween(a: Date | null, b: Date | null): number | null {
  if (!a || !b) return null;
  return Math.round(((b.getTime() - a.getTime()) / 60_000) * 100) / 100;
}

/** The instant a local date begins in a time zone (midnight, or the first instant after a skipped one). */
export function zonedMidnight(date: string, timeZone: string): Date {
  const [y, m, d] = ymdOf(date);
  const wall = Date.UTC(y, m - 1, d);
  const offset = (t: number) => zoneOffsetMs(t, timeZone);
  const first = wall - offset(wall);
  return new Date(wall - offset(first));
}
