import { BusinessCalendar } from './business-calendar';
import { parseIcsCalendarDays, parseIcsHolidays } from './ics';

const FEED = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//example//holidays//ZH',
  'BEGIN:VTIMEZONE',
  'TZID:Asia/Shanghai',
  'BEGIN:STANDARD',
  'DTSTART:19700101T000000',
  'TZOFFSETFROM:+0800',
  'TZOFFSETTO:+0800',
  'END:STANDARD',
  'END:VTIMEZONE',
  // multi-day holiday, DTEND exclusive, folded SUMMARY (continuation starts with one space)
  'BEGIN:VEVENT',
  'UID:nd-2026@example',
  'DTSTART;VALUE=DATE:20261001',
  'DTEND;VALUE=DATE:20261008',
  'SUMMARY:国庆',
  ' 节',
  'BEGIN:VALARM',
  'ACTION:DISPLAY',
  'SUMMARY:reminder that must not leak',
  'TRIGGER:-PT15M',
  'END:VALARM',
  'END:VEVENT',
  // single day without DTEND (one day per RFC 5545), escaped text
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20260101',
  'SUMMARY:New Year\\, 元旦\\; day off',
  'END:VEVENT',
  // DURATION instead of DTEND, folded with a tab
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20260501',
  'DURATION:P5D',
  'SUMMARY:劳动',
  '\t节',
  'END:VEVENT',
  // timed event: ignored
  'BEGIN:VEVENT',
  'DTSTART;TZID=Asia/Shanghai:20260115T090000',
  'DTEND;TZID=Asia/Shanghai:20260115T100000',
  'SUMMARY:Team meeting',
  'END:VEVENT',
  // cancelled: ignored
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20260301',
  'DTEND;VALUE=DATE:20260302',
  'STATUS:CANCELLED',
  'SUMMARY:Withdrawn',
  'END:VEVENT',
  // make-up working day (调休上班): not a holiday
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20261010',
  'DTEND;VALUE=DATE:20261011',
  'SUMMARY:国庆节 补班',
  'END:VEVENT',
  // DTSTART without VALUE=DATE but a date-only value, spanning a year end
  'BEGIN:VEVENT',
  'DTSTART:20261231',
  'DTEND:20270102',
  'SUMMARY:Year end',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe('parseIcsHolidays', () => {
  it('reads all-day events as inclusive ranges, sorted, unfolded and unescaped', () => {
    expect(parseIcsHolidays(FEED)).toEqual([
      { from: '2026-01-01', to: '2026-01-01', name: 'New Year, 元旦; day off' },
      { from: '2026-05-01', to: '2026-05-05', name: '劳动节' },
      { from: '2026-10-01', to: '2026-10-07', name: '国庆节' },
      { from: '2026-12-31', to: '2027-01-01', name: 'Year end' },
    ]);
  });

  it('separates make-up working days', () => {
    expect(parseIcsCalendarDays(FEED).workdays).toEqual(['2026-10-10']);
  });

  it('accepts LF line endings and ignores garbage lines', () => {
    const lf = FEED.replace(/\r\n/g, '\n').replace('VERSION:2.0', 'VERSION:2.0\nthis line has no colon');
    expect(parseIcsHolidays(lf)).toHaveLength(4);
  });

  it('returns nothing for an empty or event-less calendar', () => {
    expect(parseIcsHolidays('')).toEqual([]);
    expect(parseIcsHolidays('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n')).toEqual([]);
  });

  it('feeds a BusinessCalendar directly', () => {
    const { holidays, workdays } = parseIcsCalendarDays(FEED);
    const cal = new BusinessCalendar({
      id: 'cn-from-ics',
      timeZone: 'Asia/Shanghai',
      kind: 'business-hours',
      weekly: Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ start: '09:00', end: '18:00' }]])),
      holidays,
      workdays,
    });
    expect(cal.isOpen(new Date('2026-10-05T10:00:00+08:00'))).toBe(false);
    expect(cal.isOpen(new Date('2026-10-10T10:00:00+08:00'))).toBe(true); // Saturday, make-up day
    expect(cal.addBusinessMinutes(new Date('2026-09-30T17:00:00+08:00'), 120).toISOString()).toBe('2026-10-08T02:00:00.000Z');
  });
});
