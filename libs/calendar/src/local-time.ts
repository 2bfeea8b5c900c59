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

const formatters = new Map<string, Intl.DateTimeFormat>();

/** What the wall clock of `timeZone` shows at instant `t` (epoch ms): two-digit fields, a 24-hour clock. */
export function wallClock(t: number, timeZone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
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
    });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second };
}

/** Local wall time minus UTC at instant `t` (epoch ms), in ms (resolution: seconds, as Intl gives). */
export function zoneOffsetMs(t: number, timeZone: string): number {
  const p = wallClock(t, timeZone);
  const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return wall - Math.floor(t / 1000) * 1000;
}
