import { batchDueAt, latestDueWeek, parseWeek, shiftWeek, weekBounds, weekOf, weeksBetween, zonedInstant } from './week';

const SH = 'Asia/Shanghai';
const monday9 = { timeZone: SH, day: 'monday' as const, time: '09:00' };

describe('survey weeks in a time zone', () => {
  it('names the ISO week of an instant in the zone, not in UTC', () => {
    // Sunday 2026-12-06 20:00 UTC is already Monday 04:00 in Shanghai: the next week there
    expect(weekOf(new Date('2026-12-06T20:00:00Z'), SH)).toBe('2026-W50');
    expect(weekOf(new Date('2026-12-06T20:00:00Z'), 'UTC')).toBe('2026-W49');
    // ISO years: 2027-01-01 (a Friday) belongs to 2026-W53
    expect(weekOf(new Date('2027-01-01T12:00:00Z'), 'UTC')).toBe('2026-W53');
    expect(weekOf(new Date('2026-01-01T12:00:00Z'), 'UTC')).toBe('2026-W01');
  });

  it('bounds a week from local Monday 00:00 to the next Monday 00:00', () => {
    expect(weekBounds('2026-W50', SH)).toEqual({ start: new Date('2026-12-06T16:00:00Z'), end: new Date('2026-12-13T16:00:00Z') });
  });

  it('keeps local midnight across a DST change (Berlin, spring forward on 2026-03-29)', () => {
    const w = weekBounds('2026-W13', 'Europe/Berlin');
    expect(w.start.toISOString()).toBe('2026-03-22T23:00:00.000Z');
    expect(w.end.toISOString()).toBe('2026-03-29T22:00:00.000Z'); // 6 days 23 hours later
  });

  it('maps a skipped local time after the jump and a repeated one to its first occurrence', () => {
    expect(zonedInstant(2026, 3, 29, 2, 30, 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(zonedInstant(2026, 10, 25, 2, 30, 'Europe/Berlin').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('runs the batch of a week on the configured day and time of the week after', () => {
    expect(batchDueAt('2026-W49', monday9).toISOString()).toBe('2026-12-07T01:00:00.000Z');
    expect(batchDueAt('2026-W49', { timeZone: SH, day: 'friday', time: '17:30' }).toISOString()).toBe('2026-12-11T09:30:00.000Z');
  });

  it('finds the newest week whose batch is due', () => {
    expect(latestDueWeek(new Date('2026-12-07T00:59:59Z'), monday9)).toBe('2026-W48');
    expect(latestDueWeek(new Date('2026-12-07T01:00:00Z'), monday9)).toBe('2026-W49');
    expect(latestDueWeek(new Date('2026-12-13T15:59:00Z'), monday9)).toBe('2026-W49');
  });

  it('parses, shifts and lists weeks across year ends', () => {
    expect(parseWeek('2026-W53')).toEqual({ year: 2026, week: 53 });
    expect(parseWeek('2027-W53')).toBeUndefined(); // 2027 has 52 ISO weeks
    expect(parseWeek('2026-W00')).toBeUndefined();
    expect(parseWeek('2026-49')).toBeUndefined();
    expect(shiftWeek('2026-W53', 1)).toBe('2027-W01');
    expect(shiftWeek('2027-W01', -2)).toBe('2026-W52');
    expect(weeksBetween('2026-W52', '2027-W02')).toEqual(['2026-W52', '2026-W53', '2027-W01', '2027-W02']);
    expect(weeksBetween('2027-W02', '2026-W52')).toEqual([]);
  });
});
