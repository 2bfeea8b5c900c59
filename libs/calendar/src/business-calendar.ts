/**
 * Business calendars: when does an SLA clock run?
 *
 * Pure domain code (no framework imports). Time zones come from the `Intl` API, which is only
 * consulted when a block of days is first built; every later query is plain arithmetic over
 * cached UTC epoch milliseconds.
 *
 * Conventions (the rest of the escalation engine relies on them):
 *
 * - Open time is a union of half-open instants `[opening, closing)`. An instant exactly at a
 *   closing boundary is closed (`isOpen(18:00) === false` for a 09:00–18:00 day).
 * - Due instant: `addBusinessMinutes(start, n)` returns the moment the n-th business minute
 *   *completes*. If that happens exactly at a closing boundary, the due instant is that boundary
 *   (Friday 17:00 + 60 min = Friday 18:00, not Monday 09:00). Otherwise the result is always open.
 * - Closed start: if `start` is closed, counting starts at the next opening; so
 *   `addBusinessMinutes(closedStart, 0) === nextOpening(closedStart)` and
 *   `addBusinessMinutes(openStart, 0) === openStart`.
 * - `businessMinutesBetween(a, b)` is exact (millisecond resolution, fractional minutes) and
 *   signed (`b < a` gives a negative number). For every start `s` and `n >= 0`:
 *   `businessMinutesBetween(s, addBusinessMinutes(s, n)) === n` (up to ms rounding of `n`).
 * - `nextOpening(t)` is `t` itself when `t` is open.
 * - `7x24` calendars are plain elapsed time: weekly hours, holidays and workdays are ignored.
 * - Weekly windows are local wall-clock times `HH:MM`–`HH:MM` (end may be `24:00`, end > start;
 *   split an overnight shift into two days). A local wall time maps to the *first instant of that
 *   local date at which the clock reads that time or later*: a time skipped by a DST jump maps to
 *   the jump itself (a 02:00–04:00 window on Berlin's spring-forward day is open 1 h), and a time
 *   that occurs twice maps to its first occurrence (a 00:00–24:00 day is 23 h or 25 h long).
 * - Holidays (single dates or inclusive `from`–`to` ranges of local dates) close the whole day.
 *   Make-up working days (`workdays`, 调休) open a day that would otherwise be closed, with the
 *   `workdayHours` windows (default: Monday's windows, else the first weekday that has windows).
 *   A date listed in both is a working day (the explicit make-up listing wins).
 */

export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface BusinessWindow {
  /** local wall-clock time, `HH:MM` */
  start: string;
  /** local wall-clock time, `HH:MM` or `24:00`; must be after `start` */
  end: string;
}

export type HolidayDefinition = { date: string; name?: string } | { from: string; to: string; name?: string };

export interface BusinessCalendarDefinition {
  id: string;
  /** IANA time zone, e.g. `Asia/Shanghai` */
  timeZone: string;
  kind: '7x24' | 'business-hours';
  /** ISO weekday (Monday = 1 … Sunday = 7) → open windows; a missing weekday is closed */
  weekly?: Partial<Record<IsoWeekday, readonly BusinessWindow[]>> | Record<string, readonly BusinessWindow[]>;
  /** closed local dates, `YYYY-MM-DD`; ranges are inclusive */
  holidays?: readonly HolidayDefinition[];
  /** make-up working days (调休), `YYYY-MM-DD` */
  workdays?: readonly string[];
  /** hours of a make-up working day; default: Monday's windows */
  workdayHours?: readonly BusinessWindow[];
}

export class CalendarDefinitionError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid business calendar: ${problems.join('; ')}`);
    this.name = 'CalendarDefinitionError';
  }
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Local days per cached block. */
const CHUNK_DAYS = 32;
const CHUNK_MS = CHUNK_DAYS * DAY_MS;
/** Searching further than this many blocks (~10.5 years) for open time is an error. */
const MAX_EMPTY_CHUNKS = 120;
/** Longest holiday range accepted (days). */
const MAX_HOLIDAY_RANGE_DAYS = 3660;
/** Widest UTC offsets in the tz database are -12:00 and +14:00. */
const MAX_OFFSET_MS = 14 * HOUR_MS;
const MIN_OFFSET_MS = -12 * HOUR_MS;

// ---------------------------------------------------------------------------------------------
// Small date helpers (local dates as day numbers: days since 1970-01-01)

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})$/;

/** `YYYY-MM-DD` → days since 1970-01-01, or `undefined` when not a real calendar date. */
export function parseLocalDate(s: string): number | undefined {
  if (typeof s !== 'string') return undefined;
  const m = DATE_RE.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / DAY_MS;
}

/** days since 1970-01-01 → `YYYY-MM-DD` */
export function formatLocalDate(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday (Monday = 1) of a day number; 1970-01-01 was a Thursday. */
export function isoWeekdayOf(dayNumber: number): IsoWeekday {
  return (((((dayNumber + 3) % 7) + 7) % 7) + 1) as IsoWeekday;
}

/** `HH:MM` (or `24:00`) → minutes after midnight, or `undefined`. */
function parseTime(s: string): number | undefined {
  if (typeof s !== 'string') return undefined;
  const m = TIME_RE.exec(s);
  if (!m) return undefined;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  if (h === 24 && mi === 0) return 1440;
  if (h > 23 || mi > 59) return undefined;
  return h * 60 + mi;
}

/** Parses, sorts and merges windows into `[startMinute, endMinute]` pairs; pushes problems. */
function parseWindows(windows: unknown, where: string, problems: string[]): Array<[number, number]> {
  if (windows === undefined || windows === null) return [];
  if (!Array.isArray(windows)) {
    problems.push(`${where}: expected an array of {start, end}`);
    return [];
  }
  const out: Array<[number, number]> = [];
  windows.forEach((w: unknown, i: number) => {
    const win = w as Partial<BusinessWindow> | null;
    const s = parseTime(win?.start as string);
    const e = parseTime(win?.end as string);
    if (s === undefined || s === 1440) problems.push(`${where}[${i}].start: expected HH:MM, got ${JSON.stringify(win?.start)}`);
    if (e === undefined) problems.push(`${where}[${i}].end: expected HH:MM or 24:00, got ${JSON.stringify(win?.end)}`);
    if (s === undefined || e === undefined || s === 1440) return;
    if (e <= s) {
      problems.push(`${where}[${i}]: end ${win?.end} must be after start ${win?.start} (split overnight windows by day)`);
      return;
    }
    out.push([s, e]);
  });
  out.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const w of out) {
    const last = merged[merged.length - 1];
    if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
    else merged.push([w[0], w[1]]);
  }
  return merged;
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

interface CompiledDefinition {
  weekly: Array<Array<[number, number]>>; // index 1..7
  holidays: Set<number>;
  workdays: Set<number>;
  workdayHours: Array<[number, number]>;
}

function compile(def: BusinessCalendarDefinition, problems: string[]): CompiledDefinition {
  const weekly: Array<Array<[number, number]>> = [[], [], [], [], [], [], [], []];
  const rawWeekly = (def.weekly ?? {}) as Record<string, unknown>;
  if (typeof rawWeekly !== 'object' || rawWeekly === null || Array.isArray(rawWeekly)) {
    problems.push('weekly: expected an object keyed by ISO weekday 1..7');
  } else {
    for (const key of Object.keys(rawWeekly)) {
      const wd = Number(key);
      if (!Number.isInteger(wd) || wd < 1 || wd > 7) {
        problems.push(`weekly.${key}: weekday must be 1 (Monday) .. 7 (Sunday)`);
        continue;
      }
      weekly[wd] = parseWindows(rawWeekly[key], `weekly.${key}`, problems);
    }
  }

  const holidays = new Set<number>();
  (def.holidays ?? []).forEach((h, i) => {
    const hol = h as { date?: string; from?: string; to?: string } | null;
    if (hol && typeof hol === 'object' && 'date' in hol && hol.date !== undefined) {
      const d = parseLocalDate(hol.date);
      if (d === undefined) problems.push(`holidays[${i}].date: expected YYYY-MM-DD, got ${JSON.stringify(hol.date)}`);
      else holidays.add(d);
      return;
    }
    const from = parseLocalDate(hol?.from as string);
    const to = parseLocalDate(hol?.to as string);
    if (from === undefined) problems.push(`holidays[${i}].from: expected YYYY-MM-DD, got ${JSON.stringify(hol?.from)}`);
    if (to === undefined) problems.push(`holidays[${i}].to: expected YYYY-MM-DD, got ${JSON.stringify(hol?.to)}`);
    if (from === undefined || to === undefined) return;
    if (to < from) {
      problems.push(`holidays[${i}]: to ${hol?.to} is before from ${hol?.from}`);
      return;
    }
    if (to - from > MAX_HOLIDAY_RANGE_DAYS) {
      problems.push(`holidays[${i}]: range longer than ${MAX_HOLIDAY_RANGE_DAYS} days`);
      return;
    }
    for (let d = from; d <= to; d++) holidays.add(d);
  });

  const workdays = new Set<number>();
  (def.workdays ?? []).forEach((w, i) => {
    const d = parseLocalDate(w);
    if (d === undefined) problems.push(`workdays[${i}]: expected YYYY-MM-DD, got ${JSON.stringify(w)}`);
    else workdays.add(d);
  });

  let workdayHours: Array<[number, number]>;
  if (def.workdayHours !== undefined) {
    workdayHours = parseWindows(def.workdayHours, 'workdayHours', problems);
  } else {
    workdayHours = weekly.slice(1).find((w) => w.length > 0) ?? [];
  }
  return { weekly, holidays, workdays, workdayHours };
}

/**
 * Problems with a calendar definition (empty when valid). Paths name the offending field, so an
 * API can answer 422 with them.
 */
export function validateCalendarDefinition(def: BusinessCalendarDefinition): string[] {
  const problems: string[] = [];
  if (def === null || typeof def !== 'object') return ['calendar definition must be an object'];
  if (typeof def.id !== 'string' || def.id.length === 0) problems.push('id: required');
  if (typeof def.timeZone !== 'string' || !isValidTimeZone(def.timeZone)) {
    problems.push(`timeZone: unknown IANA time zone ${JSON.stringify(def.timeZone)}`);
  }
  if (def.kind !== '7x24' && def.kind !== 'business-hours') {
    problems.push(`kind: expected '7x24' or 'business-hours', got ${JSON.stringify(def.kind)}`);
  }
  const compiled = compile(def, problems);
  if (def.kind === 'business-hours') {
    const anyWeekly = compiled.weekly.some((w) => w.length > 0);
    const anyWorkday = compiled.workdays.size > 0 && compiled.workdayHours.length > 0;
    if (!anyWeekly && !anyWorkday) problems.push('weekly: a business-hours calendar needs at least one open window');
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Time zone arithmetic (only used while building blocks of days)

class ZoneOffsets {
  private readonly dtf: Intl.DateTimeFormat;
  private readonly fixed: number | undefined;

  constructor(timeZone: string) {
    this.dtf = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    this.fixed = timeZone === 'UTC' || timeZone === 'Etc/UTC' ? 0 : undefined;
  }

  /** local time minus UTC, in ms, at the instant `t` (resolution: seconds, as Intl gives). */
  offsetAt(t: number): number {
    if (this.fixed !== undefined) return this.fixed;
    const parts = this.dtf.formatToParts(new Date(t));
    let y = 0;
    let mo = 0;
    let d = 0;
    let h = 0;
    let mi = 0;
    let s = 0;
    let bc = false;
    for (const p of parts) {
      switch (p.type) {
        case 'year':
          y = Number(p.value);
          break;
        case 'month':
          mo = Number(p.value);
          break;
        case 'day':
          d = Number(p.value);
          break;
        case 'hour':
          h = Number(p.value);
          break;
        case 'minute':
          mi = Number(p.value);
          break;
        case 'second':
          s = Number(p.value);
          break;
        case 'era':
          bc = p.value === 'BC' || p.value === 'B';
          break;
        default:
          break;
      }
    }
    if (bc) y = 1 - y;
    const local = new Date(0);
    local.setUTCFullYear(y, mo - 1, d);
    local.setUTCHours(h % 24, mi, s, 0);
    const wholeSecond = t - (((t % 1000) + 1000) % 1000);
    return local.getTime() - wholeSecond;
  }

  /**
   * The first instant at which the local clock reads `wall` (local time expressed as if it were
   * UTC ms) or later: a skipped time maps to the transition, a repeated time to its first
   * occurrence. Assumes at most one offset change within ±26 h of `wall`.
   */
  wallToUtc(wall: number): number {
    const oA = this.offsetAt(wall - MAX_OFFSET_MS - HOUR_MS);
    const oB = this.offsetAt(wall - MIN_OFFSET_MS + HOUR_MS);
    const tA = wall - oA;
    if (oA === oB) return tA;
    const tB = wall - oB;
    const validA = this.offsetAt(tA) === oA;
    const validB = this.offsetAt(tB) === oB;
    if (validA && validB) return Math.min(tA, tB);
    if (validA) return tA;
    if (validB) return tB;
    // Gap (clock jumped forward over `wall`): find the transition instant, offset oA before it.
    let lo = Math.min(tA, tB);
    let hi = Math.max(tA, tB);
    // invariant: offsetAt(lo) !== oB, offsetAt(hi) === oB
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.offsetAt(mid) === oB) hi = mid;
      else lo = mid;
    }
    return hi;
  }
}

// ---------------------------------------------------------------------------------------------
// Cached blocks of days

/** Open intervals of `CHUNK_DAYS` consecutive local days, in UTC epoch ms. */
interface Chunk {
  /** block number: covers local day numbers [k*CHUNK_DAYS, (k+1)*CHUNK_DAYS) */
  readonly k: number;
  /** first instant of the block's first local day */
  readonly startUtc: number;
  /** first instant of the next block (exclusive end of this block) */
  readonly endUtc: number;
  readonly n: number;
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  /** open ms of this block before the end of interval i (prefix sums) */
  readonly cumEnd: Float64Array;
  /** open ms in the whole block */
  readonly total: number;
}

/** Index of the first interval of `c` whose end is after `t` (`c.n` when none). */
function firstEndAfter(c: Chunk, t: number): number {
  const ends = c.ends;
  let lo = 0;
  let hi = c.n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ends[mid]! > t)
      hi = mid; // lo <= mid < hi <= c.n
    else lo = mid + 1;
  }
  return lo;
}

/** Index of the first interval of `c` whose cumulative end is at least `target`. */
function firstCumEndAtLeast(c: Chunk, target: number, from: number): number {
  const cum = c.cumEnd;
  let lo = from;
  let hi = c.n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid]! >= target)
      hi = mid; // from <= mid < hi < c.n
    else lo = mid + 1;
  }
  return lo;
}

/** Open ms of `c` before instant `t` (t within or around the block). */
function openBefore(c: Chunk, t: number): number {
  const i = firstEndAfter(c, t);
  if (i === c.n) return c.total;
  // 0 <= i < c.n: the interval exists
  const start = c.starts[i]!;
  const before = i === 0 ? 0 : c.cumEnd[i - 1]!;
  return t > start ? before + (t - start) : before;
}

function toMs(d: Date | number, name: string): number {
  const t = typeof d === 'number' ? d : d instanceof Date ? d.getTime() : NaN;
  if (!Number.isFinite(t)) throw new RangeError(`${name}: invalid date`);
  return t;
}

export class BusinessCalendar {
  readonly id: string;
  readonly timeZone: string;
  readonly kind: '7x24' | 'business-hours';
  readonly definition: Readonly<BusinessCalendarDefinition>;

  private readonly compiled: CompiledDefinition;
  private readonly zone: ZoneOffsets;
  private readonly chunks = new Map<number, Chunk>();
  private last: Chunk | undefined;

  constructor(definition: BusinessCalendarDefinition) {
    const problems = validateCalendarDefinition(definition);
    if (problems.length > 0) throw new CalendarDefinitionError(problems);
    this.definition = definition;
    this.id = definition.id;
    this.timeZone = definition.timeZone;
    this.kind = definition.kind;
    this.compiled = compile(definition, []);
    this.zone = new ZoneOffsets(definition.timeZone);
  }

  /** A calendar that is always open (plain elapsed time). */
  static always(id = '7x24', timeZone = 'UTC'): BusinessCalendar {
    return new BusinessCalendar({ id, timeZone, kind: '7x24' });
  }

  get is24x7(): boolean {
    return this.kind === '7x24';
  }

  // --- public API (Date in, Date out) ---------------------------------------------------------

  /** Due instant of `minutes` business minutes counted from `start` (see conventions above). */
  addBusinessMinutes(start: Date, minutes: number): Date {
    return new Date(this.addBusinessMs(toMs(start, 'start'), Math.round(minutes * MINUTE_MS)));
  }

  /** Business minutes in `[a, b)` (fractional; negative when `b < a`). */
  businessMinutesBetween(a: Date, b: Date): number {
    return this.businessMsBetween(toMs(a, 'a'), toMs(b, 'b')) / MINUTE_MS;
  }

  isOpen(t: Date): boolean {
    return this.isOpenAt(toMs(t, 't'));
  }

  /** `t` itself when open, otherwise the next opening instant. */
  nextOpening(t: Date): Date {
    return new Date(this.nextOpeningAt(toMs(t, 't')));
  }

  /** Open intervals intersecting `[from, to)`, clipped to it. */
  openIntervals(from: Date, to: Date): Array<{ start: Date; end: Date }> {
    return this.openIntervalsMs(toMs(from, 'from'), toMs(to, 'to')).map(([s, e]) => ({
      start: new Date(s),
      end: new Date(e),
    }));
  }

  /** Local calendar date (`YYYY-MM-DD`) of an instant in this calendar's time zone. */
  localDateOf(t: Date): string {
    const ms = toMs(t, 't');
    return formatLocalDate(Math.floor((ms + this.zone.offsetAt(ms)) / DAY_MS));
  }

  // --- epoch-ms API (no allocation; used by the plan and the clock engine) -----------------

  addBusinessMs(t: number, ms: number): number {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`business time to add must be a finite number >= 0, got ${ms}`);
    if (this.kind === '7x24') return t + ms;
    let c = this.chunkAt(t);
    let i = firstEndAfter(c, t);
    let empty = 0;
    while (i === c.n) {
      c = this.chunk(c.k + 1);
      i = 0;
      if (c.n === 0 && ++empty > MAX_EMPTY_CHUNKS) this.noOpenTime(t);
    }
    // the loop above leaves 0 <= i < c.n
    const s0 = c.starts[i]!;
    const from = t > s0 ? t : s0;
    if (ms === 0) return from;
    // Fast path: the due instant lies within the current interval.
    const e0 = c.ends[i]!;
    if (from + ms <= e0) return from + ms;
    let target = (i === 0 ? 0 : c.cumEnd[i - 1]!) + (from - s0) + ms; // position within block c
    let j = i;
    empty = 0;
    while (target > c.total) {
      target -= c.total;
      c = this.chunk(c.k + 1);
      j = 0;
      if (c.n === 0 && ++empty > MAX_EMPTY_CHUNKS) this.noOpenTime(t);
    }
    j = firstCumEndAtLeast(c, target, j);
    // 0 < target <= c.total, so interval j exists
    const cumStart = j === 0 ? 0 : c.cumEnd[j - 1]!;
    return c.starts[j]! + (target - cumStart);
  }

  businessMsBetween(a: number, b: number): number {
    if (this.kind === '7x24') return b - a;
    if (b < a) return -this.businessMsBetween(b, a);
    const ca = this.chunkAt(a);
    const cb = b < ca.endUtc ? ca : this.chunkAt(b);
    if (ca === cb) return openBefore(ca, b) - openBefore(ca, a);
    let sum = ca.total - openBefore(ca, a);
    for (let k = ca.k + 1; k < cb.k; k++) sum += this.chunk(k).total;
    return sum + openBefore(cb, b);
  }

  isOpenAt(t: number): boolean {
    if (this.kind === '7x24') return true;
    const c = this.chunkAt(t);
    const i = firstEndAfter(c, t);
    return i < c.n && c.starts[i]! <= t;
  }

  nextOpeningAt(t: number): number {
    if (this.kind === '7x24') return t;
    return this.addBusinessMs(t, 0);
  }

  openIntervalsMs(from: number, to: number): Array<[number, number]> {
    if (this.kind === '7x24') return from < to ? [[from, to]] : [];
    const out: Array<[number, number]> = [];
    if (!(from < to)) return out;
    let c = this.chunkAt(from);
    for (;;) {
      for (let i = firstEndAfter(c, from); i < c.n; i++) {
        const s = c.starts[i]!; // i < c.n
        if (s >= to) return out;
        out.push([Math.max(s, from), Math.min(c.ends[i]!, to)]);
      }
      if (c.endUtc >= to) return out;
      c = this.chunk(c.k + 1);
    }
  }

  // --- internals --------------------------------------------------------------------------

  private noOpenTime(t: number): never {
    throw new RangeError(`calendar ${this.id} has no open time within ~10 years after ${new Date(t).toISOString()}`);
  }

  /** The block containing instant `t`. */
  private chunkAt(t: number): Chunk {
    const last = this.last;
    if (last !== undefined && t >= last.startUtc && t < last.endUtc) return last;
    let c = this.chunk(Math.floor(t / CHUNK_MS));
    while (t < c.startUtc) c = this.chunk(c.k - 1);
    while (t >= c.endUtc) c = this.chunk(c.k + 1);
    this.last = c;
    return c;
  }

  private chunk(k: number): Chunk {
    let c = this.chunks.get(k);
    if (c === undefined) {
      c = this.buildChunk(k);
      this.chunks.set(k, c);
    }
    return c;
  }

  private windowsOf(day: number): Array<[number, number]> {
    const { holidays, workdays, weekly, workdayHours } = this.compiled;
    if (workdays.has(day)) return workdayHours;
    if (holidays.has(day)) return [];
    return weekly[isoWeekdayOf(day)]!; // weekly has entries 0..7, the weekday is 1..7
  }

  private buildChunk(k: number): Chunk {
    const zone = this.zone;
    const firstDay = k * CHUNK_DAYS;
    const startUtc = zone.wallToUtc(firstDay * DAY_MS);
    const endUtc = zone.wallToUtc((firstDay + CHUNK_DAYS) * DAY_MS);
    const starts: number[] = [];
    const ends: number[] = [];
    for (let day = firstDay; day < firstDay + CHUNK_DAYS; day++) {
      const windows = this.windowsOf(day);
      if (windows.length === 0) continue;
      const wall0 = day * DAY_MS;
      // Offsets at the earliest and latest instants that can belong to this local day.
      const oLo = zone.offsetAt(wall0 - MAX_OFFSET_MS - HOUR_MS);
      const oHi = zone.offsetAt(wall0 + DAY_MS - MIN_OFFSET_MS + HOUR_MS);
      const constant = oLo === oHi;
      for (const [sMin, eMin] of windows) {
        const sWall = wall0 + sMin * MINUTE_MS;
        const eWall = wall0 + eMin * MINUTE_MS;
        let s = constant ? sWall - oLo : zone.wallToUtc(sWall);
        let e = constant ? eWall - oLo : zone.wallToUtc(eWall);
        // Defensive clamping keeps intervals sorted, disjoint and inside the block.
        const prevEnd = ends.at(-1) ?? startUtc;
        if (s < prevEnd) s = prevEnd;
        if (e > endUtc) e = endUtc;
        if (e <= s) continue;
        if (ends.length > 0 && s === prevEnd)
          ends[ends.length - 1] = e; // adjacent: merge
        else {
          starts.push(s);
          ends.push(e);
        }
      }
    }
    const n = starts.length;
    const cumEnd = new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      total += ends[i]! - starts[i]!; // i < n = starts.length = ends.length
      cumEnd[i] = total;
    }
    return {
      k,
      startUtc,
      endUtc,
      n,
      starts: Float64Array.from(starts),
      ends: Float64Array.from(ends),
      cumEnd,
      total,
    };
  }
}

/**
 * The instant a local wall-clock time has in `timeZone` (`wall`: `Date.UTC` of the local fields):
 * a time skipped by a DST jump maps to the transition, a repeated time to its first occurrence.
 */
export function wallClockToInstant(timeZone: string, wall: number): number {
  return new ZoneOffsets(timeZone).wallToUtc(wall);
}
