import { icalShiftsAt, parseOnCallFeed } from './ical-on-call';
import { onCallAt, resolveFeedPeople, Rotation } from './on-call';

/** Nights 18:00-09:00 for Night Owl, days 09:00-18:00 for Day Shift, every day from 1 March 2026 (Shanghai). */
const ON_CALL_ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//aftersales//on-call test//EN',
  'BEGIN:VEVENT',
  'UID:nights@test',
  'DTSTAMP:20260301T000000Z',
  'DTSTART;TZID=Asia/Shanghai:20260301T180000',
  'DTEND;TZID=Asia/Shanghai:20260302T090000',
  'RRULE:FREQ=DAILY',
  'SUMMARY:On call: Night Owl',
  'ATTENDEE;CN=Night Owl:mailto:Night.Owl@example.com',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:days@test',
  'DTSTAMP:20260301T000000Z',
  'DTSTART;TZID=Asia/Shanghai:20260302T090000',
  'DTEND;TZID=Asia/Shanghai:20260302T180000',
  'RRULE:FREQ=DAILY',
  'SUMMARY:day.shift',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:nights@test',
  'DTSTAMP:20260301T000000Z',
  'RECURRENCE-ID;TZID=Asia/Shanghai:20260305T180000',
  'DTSTART;TZID=Asia/Shanghai:20260305T180000',
  'DTEND;TZID=Asia/Shanghai:20260306T090000',
  'SUMMARY:day.shift',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

const at = (local: string) => new Date(`${local}+08:00`);

describe('on-call from an iCalendar feed', () => {
  it('lists who each event names, and refuses what is not a calendar', () => {
    const parsed = parseOnCallFeed(ON_CALL_ICS);
    expect(parsed.ok && parsed.owners.map((o) => [o.emails, o.summary])).toEqual([
      [['night.owl@example.com'], 'On call: Night Owl'],
      [[], 'day.shift'],
    ]);
    expect(parseOnCallFeed('hello')).toMatchObject({ ok: false, reason: expect.stringContaining('not a valid iCalendar') });
    expect(parseOnCallFeed('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR')).toEqual({ ok: false, reason: 'the calendar has no VEVENT' });
  });

  it('finds whoever the recurring shift covers at the time, a moved occurrence included', () => {
    const who = (local: string) => icalShiftsAt(ON_CALL_ICS, at(local), 'Asia/Shanghai').map((o) => o.summary);
    expect(who('2026-03-03T03:00:00')).toEqual(['On call: Night Owl']);
    expect(who('2026-03-03T09:00:00')).toEqual(['day.shift']); // the night ends at 09:00 exactly
    expect(who('2026-03-03T17:59:59')).toEqual(['day.shift']);
    expect(who('2026-03-06T03:00:00')).toEqual(['day.shift']); // that night was handed over
    expect(who('2026-03-01T12:00:00')).toEqual([]); // before the first day shift
  });

  it('maps events to people by attendee e-mail or by id/name in the summary', () => {
    const parsed = parseOnCallFeed(ON_CALL_ICS);
    if (!parsed.ok) throw new Error(parsed.reason);
    const people = [
      { id: 'night.owl', name: 'Night Owl', email: 'night.owl@example.com' },
      { id: 'day.shift', name: 'Day Shift', email: null },
    ];
    const { people: map, unknown } = resolveFeedPeople(parsed.owners, people);
    expect(unknown).toEqual([]);
    const rotation: Rotation = {
      region: 'north',
      role: 'senior-engineer',
      timeZone: 'Asia/Shanghai',
      shifts: [],
      ical: { ics: ON_CALL_ICS, url: null, people: map, fetchedAt: '2026-03-01T00:00:00Z' },
    };
    expect(onCallAt(rotation, at('2026-03-02T03:00:00'))).toEqual(['night.owl']);
    expect(onCallAt(rotation, at('2026-03-02T10:00:00'))).toEqual(['day.shift']);
    expect(resolveFeedPeople(parsed.owners, [people[1]!]).unknown).toEqual(['night.owl@example.com']);
  });
});
