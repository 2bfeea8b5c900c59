import { datesProblem, inForce, overlaps, parseReminderDays, reminderDays } from './agreements';
import { addMonths, localDate, localInstant } from './local-time';

describe('maintenance agreements', () => {
  it('end after they start, and never cover the same day twice on an asset', () => {
    expect(datesProblem({ startsOn: '2027-01-01', endsOn: '2027-12-31' })).toBeNull();
    expect(datesProblem({ startsOn: '2027-01-01', endsOn: '2027-01-01' })).toMatch(/after/);
    expect(overlaps({ startsOn: '2027-01-01', endsOn: '2027-12-31' }, { startsOn: '2027-12-31', endsOn: '2028-12-31' })).toBe(true);
    expect(overlaps({ startsOn: '2027-01-01', endsOn: '2027-12-31' }, { startsOn: '2028-01-01', endsOn: '2028-12-31' })).toBe(false);
    expect(inForce({ startsOn: '2027-01-01', endsOn: '2027-12-31' }, '2027-12-31')).toBe(true);
  });

  it('remind 60, 30 and 7 days before the end, skipping those already past', () => {
    expect(reminderDays('2027-12-31', [7, 60, 30], '2027-01-01')).toEqual([
      { daysBefore: 60, on: '2027-11-01' },
      { daysBefore: 30, on: '2027-12-01' },
      { daysBefore: 7, on: '2027-12-24' },
    ]);
    expect(reminderDays('2027-12-31', [60, 30, 7], '2027-12-10').map((r) => r.daysBefore)).toEqual([7]);
    expect(parseReminderDays('60, 30,7')).toEqual([60, 30, 7]);
    expect(() => parseReminderDays('60;30')).toThrow();
  });
});

describe('local time', () => {
  it('turns local wall times into instants and back, across DST', () => {
    expect(localInstant('2026-06-01', '09:00', 'Asia/Shanghai').toISOString()).toBe('2026-06-01T01:00:00.000Z');
    expect(localInstant('2026-07-01', '09:00', 'Europe/Berlin').toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(localInstant('2026-01-01', '09:00', 'Europe/Berlin').toISOString()).toBe('2026-01-01T08:00:00.000Z');
    expect(localDate(new Date('2026-05-31T17:00:00Z'), 'Asia/Shanghai')).toBe('2026-06-01');
  });

  it('adds calendar months, clamped to the month end', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-01-15', 3)).toBe('2026-04-15');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
  });
});
