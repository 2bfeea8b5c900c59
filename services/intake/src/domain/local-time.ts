/**
 * Local dates and times of a time zone as instants (Intl only, no library): what "09:00 on
 * 2026-06-01 in Asia/Shanghai" is, and which local date an instant falls on.
 */
import { zoneOffsetMs } from '@aftersales/calendar';

const offsetAt = zoneOffsetMs;

/** Year, month and day of a `YYYY-MM-DD` date. */
function ymd(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  if (y === undefined || m === undefined || d === undefined) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  return [y, m, d];
}

/** The instant the local clock of `timeZone` reads `date` `time` (a skipped time: shortly after). */
export function localInstant(date: string, time: string, timeZone: string): Date {
  const [y, mo, d] = ymd(date);
  const [h, mi] = time.split(':').map(Number);
  if (h === undefined || mi === undefined) throw new Error(`not an HH:MM time: ${time}`);
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  let t = wall - offsetAt(wall, timeZone);
  t = wall - offsetAt(t, timeZone); // second pass settles a DST change between the guesses
  return new Date(t);
}

/** `YYYY-MM-DD` of instant `t` in `timeZone`. */
export function localDate(t: Date, timeZone: string): string {
  return new Date(t.getTime() + offsetAt(t.getTime(), timeZone)).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` plus whole calendar months, clamped to the month's last day (Jan 31 + 1 month → Feb 28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = ymd(date);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

export function addDaysTo(date: string, days: number): string {
  const [y, m, d] = ymd(date);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};
