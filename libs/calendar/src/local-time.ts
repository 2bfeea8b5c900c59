const pad = (n: number) => String(n).padStart(2, '0');

/**
 * An instant as the wall clock of `timeZone` shows it, with its offset:
 * `2026-05-04T09:00:00+08:00` (for answers a person in that zone reads next to the UTC time).
 */
export function formatLocalInstant(t: Date, timeZone: string): string {
  const parts = wallClock(t.getTime(), timeZone);
  const offset = Math.round(zoneOffsetMs(t.getTime(), timeZone) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * An instant to the minute as the wall clock of `timeZone` shows it, with the zone's short name:
 * `2026-05-04 09:00 GMT+8` (for text a person reads, e.g. a notice).
 */
export function formatLocalMinute(t: Date, timeZone: string): string {
  const p = wallParts(t.getTime(), timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

type WallField = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';

/** What the wall clock of `timeZone` shows at instant `t` (epoch ms): two-digit fields, a 24-hour clock. */
export function wallClock(t: number, timeZone: string): Record<WallField, string> {
  const { year, month, day, hour, minute, second } = wallParts(t, timeZone);
  return { year, month, day, hour, minute, second };
}

/** Local wall time minus UTC at instant `t` (epoch ms), in ms (resolution: seconds, as Intl gives). */
export function zoneOffsetMs(t: number, timeZone: string): number {
  const p = wallParts(t, timeZone);
  const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return wall - Math.floor(t / 1000) * 1000;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallParts(t: number, timeZone: string): Record<WallField | 'timeZoneName', string> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'short',
    });
    formatters.set(timeZone, f);
  }
  const p: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const x of f.formatToParts(new Date(t))) p[x.type] = x.value;
  // every field is asked of the formatter above, so Intl answers each one
  return {
    year: p.year!,
    month: p.month!,
    day: p.day!,
    hour: p.hour!,
    minute: p.minute!,
    second: p.second!,
    timeZoneName: p.timeZoneName!,
  };
}
