/**
 * Minimal iCalendar (RFC 5545) reader for holiday feeds: all-day VEVENTs only.
 *
 * - Content lines are unfolded first (CRLF or LF followed by a space or tab continues the line).
 * - An event is all-day when DTSTART is a DATE (`DTSTART;VALUE=DATE:20261001`, or an 8-digit value
 *   without a time). Timed events (DATE-TIME) are ignored, as are cancelled events
 *   (`STATUS:CANCELLED`) and recurrence rules (RRULE/RDATE are not expanded: holiday feeds list
 *   each year's dates explicitly).
 * - DTEND is exclusive (RFC 5545 §3.6.1), so `to` = DTEND − 1 day. Without DTEND, a DURATION of
 *   whole days/weeks is used; without either, the event lasts one day.
 * - Properties of nested components (VALARM) do not leak into the event.
 * - Result ranges are inclusive local dates, ready for `BusinessCalendarDefinition.holidays`.
 *
 * Chinese public-holiday feeds also publish the make-up working days (补班 / 上班) as all-day
 * events; `parseIcsCalendarDays` separates those into `workdays`, and `parseIcsHolidays` leaves
 * them out so they never close a working day.
 */

import { DAY_MS, formatLocalDate, parseLocalDate } from './business-calendar';

export interface IcsHoliday {
  from: string;
  to: string;
  name: string;
}

export interface IcsCalendarDays {
  holidays: IcsHoliday[];
  /** make-up working days (调休上班), one entry per date */
  workdays: string[];
}

/** Summaries that mark a make-up working day rather than a day off. */
export const DEFAULT_WORKDAY_PATTERN = /补班|上班|调休工作|make-?up (work(ing)? ?)?day/i;

interface Prop {
  name: string;
  params: Record<string, string>;
  value: string;
}

function unfold(text: string): string[] {
  return text
    .replace(/\r\n/g, '\n')
    .replace(/\r/g, '\n')
    .replace(/\n[ \t]/g, '')
    .split('\n');
}

/** Splits `NAME;P1=V1;P2="V;2":value` (quoted parameter values may contain `;` and `:`). */
function parseLine(line: string): Prop | undefined {
  let i = 0;
  let inQuote = false;
  let colon = -1;
  for (; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') inQuote = !inQuote;
    else if (ch === ':' && !inQuote) {
      colon = i;
      break;
    }
  }
  if (colon < 0) return undefined;
  const head = line.slice(0, colon);
  const value = line.slice(colon + 1);
  const segments: string[] = [];
  let cur = '';
  inQuote = false;
  for (const ch of head) {
    if (ch === '"') inQuote = !inQuote;
    if (ch === ';' && !inQuote) {
      segments.push(cur);
      cur = '';
    } else cur += ch;
  }
  segments.push(cur);
  const [name, ...paramSegments] = segments as [string, ...string[]]; // the push above leaves one at least
  const params: Record<string, string> = {};
  for (const seg of paramSegments) {
    const eq = seg.indexOf('=');
    if (eq > 0) params[seg.slice(0, eq).toUpperCase()] = seg.slice(eq + 1).replace(/^"(.*)"$/, '$1');
  }
  return { name: name.trim().toUpperCase(), params, value };
}

function unescapeText(v: string): string {
  return v.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** DATE value `YYYYMMDD` → day number; `undefined` for DATE-TIME or garbage. */
function parseIcsDate(p: Prop | undefined): number | undefined {
  if (!p) return undefined;
  const type = (p.params.VALUE ?? '').toUpperCase();
  if (type && type !== 'DATE') return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(p.value.trim());
  if (!m) return undefined;
  return parseLocalDate(`${m[1]}-${m[2]}-${m[3]}`);
}

/** Whole days of an RFC 5545 DURATION such as `P1D`, `P2W`, `P1DT0H`; `undefined` otherwise. */
function parseDurationDays(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const m = /^\+?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(v.trim());
  if (!m) return undefined;
  const weeks = Number(m[1] ?? 0);
  const days = Number(m[2] ?? 0);
  const secs = Number(m[3] ?? 0) * 3600 + Number(m[4] ?? 0) * 60 + Number(m[5] ?? 0);
  const total = weeks * 7 + days + Math.ceil((secs * 1000) / DAY_MS);
  return total;
}

interface RawEvent {
  from: number;
  toInclusive: number;
  name: string;
}

function readAllDayEvents(icsText: string): RawEvent[] {
  const events: RawEvent[] = [];
  const stack: string[] = [];
  let props: Map<string, Prop> | undefined;
  for (const line of unfold(icsText)) {
    if (line.trim() === '') continue;
    const p = parseLine(line);
    if (!p) continue;
    if (p.name === 'BEGIN') {
      const comp = p.value.trim().toUpperCase();
      stack.push(comp);
      if (comp === 'VEVENT') props = new Map();
      continue;
    }
    if (p.name === 'END') {
      const comp = stack.pop();
      if (comp === 'VEVENT' && props) {
        const ev = toEvent(props);
        if (ev) events.push(ev);
        props = undefined;
      }
      continue;
    }
    if (props && stack[stack.length - 1] === 'VEVENT' && !props.has(p.name)) props.set(p.name, p);
  }
  return events;
}

function toEvent(props: Map<string, Prop>): RawEvent | undefined {
  if ((props.get('STATUS')?.value ?? '').trim().toUpperCase() === 'CANCELLED') return undefined;
  const from = parseIcsDate(props.get('DTSTART'));
  if (from === undefined) return undefined;
  let toInclusive = from;
  const dtend = props.get('DTEND');
  if (dtend) {
    const endExclusive = parseIcsDate(dtend);
    if (endExclusive === undefined) return undefined; // DATE start with DATE-TIME end: not all-day
    toInclusive = Math.max(from, endExclusive - 1);
  } else {
    const days = parseDurationDays(props.get('DURATION')?.value);
    if (days !== undefined) toInclusive = from + Math.max(1, days) - 1;
  }
  const name = unescapeText(props.get('SUMMARY')?.value ?? '').trim();
  return { from, toInclusive, name };
}

/**
 * All-day events as inclusive holiday ranges, sorted by start date. Events whose summary matches
 * `workdayPattern` (make-up working days) are left out; use `parseIcsCalendarDays` to get them.
 */
export function parseIcsHolidays(icsText: string, workdayPattern: RegExp = DEFAULT_WORKDAY_PATTERN): IcsHoliday[] {
  return parseIcsCalendarDays(icsText, workdayPattern).holidays;
}

/** Holidays and make-up working days from an iCalendar feed. */
export function parseIcsCalendarDays(icsText: string, workdayPattern: RegExp = DEFAULT_WORKDAY_PATTERN): IcsCalendarDays {
  const holidays: IcsHoliday[] = [];
  const workdaySet = new Set<number>();
  for (const ev of readAllDayEvents(icsText)) {
    if (ev.name && workdayPattern.test(ev.name)) {
      for (let d = ev.from; d <= ev.toInclusive; d++) workdaySet.add(d);
    } else {
      holidays.push({ from: formatLocalDate(ev.from), to: formatLocalDate(ev.toInclusive), name: ev.name });
    }
  }
  holidays.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const workdays = [...workdaySet].sort((a, b) => a - b).map(formatLocalDate);
  return { holidays, workdays };
}
