/**
 * Survey weeks (domain §8: "every week, the cases closed that week"). A week is an ISO week
 * (Monday 00:00 to the next Monday 00:00) in the survey's time zone, named `2026-W49`. The batch of
 * a week runs at the first configured weekday and time at or after the week's end, in that zone
 * (DST-aware: local wall-clock times are mapped to instants through `Intl`).
 */

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface BatchSchedule {
  /** IANA time zone, e.g. `Asia/Shanghai` */
  timeZone: string;
  day: Weekday;
  /** local `HH:MM` */
  time: string;
}

const DAY_MS = 86_400_000;
const WEEK_LABEL = /^(\d{4})-W(\d{2})$/;

/** A valid IANA zone name? (`Intl` throws a RangeError for an unknown one.) */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Local wall-clock fields of an instant in a zone. */
export function localParts(t: Date, zone: string): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const p = new Map<string, number>();
  for (const part of formatter(zone).formatToParts(t)) if (part.type !== 'literal') p.set(part.type, Number(part.value));
  const field = (name: string): number => {
    const v = p.get(name);
    // the formatter is made with every one of these fields
    if (v === undefined) throw new Error(`Intl gave no ${name} for ${t.toISOString()} in ${zone}`);
    return v;
  };
  return { y: field('year'), m: field('month'), d: field('day'), h: field('hour'), min: field('minute'), s: field('second') };
}

/** The zone's offset from UTC at instant `ms`, in ms. */
function offsetAt(ms: number, zone: string): number {
  const l = localParts(new Date(ms), zone);
  return Date.UTC(l.y, l.m - 1, l.d, l.h, l.min, l.s) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a local wall-clock time happens in a zone. A time skipped by a DST jump maps to
 * the same wall time under the offset before the jump (i.e. after the jump); a repeated time to
 * its first occurrence.
 */
export function zonedInstant(y: number, m: number, d: number, h: number, min: number, zone: string): Date {
  const asUtc = Date.UTC(y, m - 1, d, h, min);
  // the offsets in force around that day: one of them gives the instant (two for a repeated hour)
  const candidates = [asUtc - DAY_MS, asUtc, asUtc + DAY_MS].map((t) => asUtc - offsetAt(t, zone));
  const reads = (t: number) => {
    const l = localParts(new Date(t), zone);
    return l.d === d && l.h === h && l.min === min;
  };
  const exact = candidates.filter(reads).sort((a, b) => a - b);
  // none reads it: the time was skipped by a jump forward; the later candidate lies after the jump
  return new Date(exact[0] ?? Math.max(...candidates));
}

/** ISO week (year and number) of a calendar date. */
function isoWeekOfDate(y: number, m: number, d: number): { year: number; week: number } {
  const day = Date.UTC(y, m - 1, d) / DAY_MS;
  const weekday = ((new Date(day * DAY_MS).getUTCDay() + 6) % 7) + 1; // Monday = 1
  const thursday = day + 4 - weekday;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1) / DAY_MS;
  return { year, week: Math.floor((thursday - jan1) / 7) + 1 };
}

export function weekLabel(year: number, week: number): string {
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The survey week an instant falls in, in the zone. */
export function weekOf(t: Date, zone: string): string {
  const l = localParts(t, zone);
  const w = isoWeekOfDate(l.y, l.m, l.d);
  return weekLabel(w.year, w.week);
}

/** Parses `2026-W49`; undefined when malformed or the year has no such week. */
export function parseWeek(label: string): { year: number; week: number } | undefined {
  const m = WEEK_LABEL.exec(label);
  if (!m) return undefined;
  const year = Number(m[1]);
  const week = Number(m[2]);
  // 28 December is always in the year's last ISO week
  const last = isoWeekOfDate(year, 12, 28).week;
  return week >= 1 && week <= last ? { year, week } : undefined;
}

/** The UTC calendar day number of the Monday of an ISO week. */
function mondayOf(year: number, week: number): number {
  const jan4 = Date.UTC(year, 0, 4) / DAY_MS;
  const jan4Weekday = ((new Date(jan4 * DAY_MS).getUTCDay() + 6) % 7) + 1;
  return jan4 - (jan4Weekday - 1) + (week - 1) * 7;
}

function dateOfDay(day: number): { y: number; m: number; d: number } {
  const t = new Date(day * DAY_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

function requireWeek(label: string): { year: number; week: number } {
  const w = parseWeek(label);
  if (!w) throw new RangeError(`not a week: ${label} (expected YYYY-Www)`);
  return w;
}

/** `[start, end)` of a week: local Monday 00:00 to the next Monday 00:00. */
export function weekBounds(label: string, zone: string): { start: Date; end: Date } {
  const w = requireWeek(label);
  const monday = mondayOf(w.year, w.week);
  const s = dateOfDay(monday);
  const e = dateOfDay(monday + 7);
  return { start: zonedInstant(s.y, s.m, s.d, 0, 0, zone), end: zonedInstant(e.y, e.m, e.d, 0, 0, zone) };
}

/** The week `n` weeks after (negative: before) `label`. */
export function shiftWeek(label: string, n: number): string {
  const w = requireWeek(label);
  const day = mondayOf(w.year, w.week) + 7 * n;
  const d = dateOfDay(day);
  const iso = isoWeekOfDate(d.y, d.m, d.d);
  return weekLabel(iso.year, iso.week);
}

/** The hours and minutes of a local `HH:MM` (the configuration schema checked its shape). */
export function hoursMinutes(time: string): [number, number] {
  const m = /^(\d{1,2}):(\d{2})$/.exec(time);
  if (!m) throw new Error(`"${time}" is not a local time HH:MM`);
  return [Number(m[1]), Number(m[2])];
}

/** When the batch of a week runs: the configured weekday and time of the week after it. */
export function batchDueAt(label: string, s: BatchSchedule): Date {
  const w = requireWeek(label);
  const [h, min] = hoursMinutes(s.time);
  const d = dateOfDay(mondayOf(w.year, w.week) + 7 + WEEKDAYS.indexOf(s.day));
  return zonedInstant(d.y, d.m, d.d, h, min, s.timeZone);
}

/** The newest week whose batch is due at `now` (a batch falls due within the seven days after its week). */
export function latestDueWeek(now: Date, s: BatchSchedule): string {
  const previous = shiftWeek(weekOf(now, s.timeZone), -1);
  return batchDueAt(previous, s).getTime() <= now.getTime() ? previous : shiftWeek(previous, -1);
}

/** Weeks from `from` to `to` inclusive, oldest first (at most `max`). */
export function weeksBetween(from: string, to: string, max = 104): string[] {
  const out: string[] = [];
  if (compareWeeks(from, to) > 0) return out;
  for (let w = from; out.length < max; w = shiftWeek(w, 1)) {
    out.push(w);
    if (w === to) return out;
  }
  return out;
}

export function compareWeeks(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
