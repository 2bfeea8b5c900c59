import fc from 'fast-check';
import {
  BusinessCalendar,
  BusinessCalendarDefinition,
  CalendarDefinitionError,
  DAY_MS,
  MINUTE_MS,
  isoWeekdayOf,
  parseLocalDate,
  validateCalendarDefinition,
} from './business-calendar';

const iso = (s: string) => new Date(s);
const MON_FRI = (windows: Array<{ start: string; end: string }>) => ({ 1: windows, 2: windows, 3: windows, 4: windows, 5: windows });

// --- calendars used below ------------------------------------------------------------------------

/** Mon–Fri 09:00–18:00 Shanghai with the 2026 public holidays and make-up working days (调休). */
const SHANGHAI: BusinessCalendarDefinition = {
  id: 'cn-business-hours',
  timeZone: 'Asia/Shanghai',
  kind: 'business-hours',
  weekly: MON_FRI([{ start: '09:00', end: '18:00' }]),
  holidays: [
    { date: '2026-01-01', name: '元旦' },
    { from: '2026-02-15', to: '2026-02-23', name: '春节' },
    { from: '2026-10-01', to: '2026-10-07', name: '国庆节' },
  ],
  workdays: ['2026-02-14', '2026-02-28', '2026-09-20', '2026-10-10'],
};

/** Split days, Saturday mornings, a night window on Sundays across the DST hours, Christmas. */
const BERLIN: BusinessCalendarDefinition = {
  id: 'de-business-hours',
  timeZone: 'Europe/Berlin',
  kind: 'business-hours',
  weekly: {
    ...MON_FRI([
      { start: '08:00', end: '12:00' },
      { start: '13:00', end: '17:30' },
    ]),
    6: [{ start: '09:00', end: '13:00' }],
    7: [{ start: '01:00', end: '04:00' }],
  },
  holidays: [
    { date: '2026-04-03', name: 'Karfreitag' },
    { date: '2026-04-06', name: 'Ostermontag' },
    { from: '2026-12-24', to: '2027-01-01', name: 'Weihnachten bis Neujahr' },
  ],
};

/** Mon–Fri 09:00–17:00 plus all of Sunday, New York. */
const NEW_YORK: BusinessCalendarDefinition = {
  id: 'us-business-hours',
  timeZone: 'America/New_York',
  kind: 'business-hours',
  weekly: { ...MON_FRI([{ start: '09:00', end: '17:00' }]), 7: [{ start: '00:00', end: '24:00' }] },
  holidays: [{ date: '2026-11-26', name: 'Thanksgiving' }],
};

const shanghai = new BusinessCalendar(SHANGHAI);
const berlin = new BusinessCalendar(BERLIN);
const newYork = new BusinessCalendar(NEW_YORK);
const always = new BusinessCalendar({ id: 'de-7x24', timeZone: 'Europe/Berlin', kind: '7x24' });

// --- an independent reference: wall-clock reading via Intl for every query ----------------------

function referenceIsOpen(def: BusinessCalendarDefinition): (t: number) => boolean {
  if (def.kind === '7x24') return () => true;
  const dtf = new Intl.DateTimeFormat('en-CA', {
    timeZone: def.timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
  const holidays = new Set<string>();
  for (const h of def.holidays ?? []) {
    if ('date' in h) holidays.add(h.date);
    else
      for (let d = parseLocalDate(h.from)!; d <= parseLocalDate(h.to)!; d++) holidays.add(new Date(d * DAY_MS).toISOString().slice(0, 10));
  }
  const workdays = new Set(def.workdays ?? []);
  const weekly = def.weekly as Record<number, Array<{ start: string; end: string }>>;
  return (t) => {
    const p = Object.fromEntries(dtf.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
    const date = `${p.year}-${p.month}-${p.day}`;
    const secOfDay = Number(p.hour) * 3600 + Number(p.minute) * 60 + Number(p.second);
    let windows = weekly[isoWeekdayOf(parseLocalDate(date)!)] ?? [];
    if (workdays.has(date)) windows = weekly[1] ?? [];
    else if (holidays.has(date)) windows = [];
    return windows.some((w) => toMin(w.start) * 60 <= secOfDay && secOfDay < toMin(w.end) * 60);
  };
}

// DST transitions 2026: Berlin 03-29 01:00Z / 10-25 01:00Z, New York 03-08 07:00Z / 11-01 06:00Z.
const TRANSITIONS = ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z'].map((s) =>
  Date.parse(s),
);
const RANGE_FROM = Date.parse('2025-12-01T00:00:00Z');
const RANGE_TO = Date.parse('2027-02-01T00:00:00Z');

/** Instants spread over the range, with extra weight right around DST transitions. */
const instant = fc.oneof(
  fc.integer({ min: RANGE_FROM, max: RANGE_TO }),
  fc.tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -30 * 3_600_000, max: 30 * 3_600_000 })).map(([t, d]) => t + d),
  fc.integer({ min: RANGE_FROM / MINUTE_MS, max: RANGE_TO / MINUTE_MS }).map((m) => m * MINUTE_MS), // whole minutes hit boundaries
);
const minutes = fc.integer({ min: 0, max: 5 * 24 * 60 });

const CALENDARS: Array<[string, BusinessCalendar, BusinessCalendarDefinition]> = [
  ['Asia/Shanghai business hours', shanghai, SHANGHAI],
  ['Europe/Berlin business hours', berlin, BERLIN],
  ['America/New_York business hours', newYork, NEW_YORK],
];

describe('BusinessCalendar properties', () => {
  describe.each(CALENDARS)('%s', (_name, cal, def) => {
    const ref = referenceIsOpen(def);

    it('isOpen agrees with a wall-clock reference', () => {
      fc.assert(
        fc.property(instant, (t) => cal.isOpen(new Date(t)) === ref(t)),
        { numRuns: 600 },
      );
    });

    it('businessMinutesBetween(s, addBusinessMinutes(s, n)) === n', () => {
      fc.assert(
        fc.property(instant, minutes, (s, n) => {
          const start = new Date(s);
          return cal.businessMinutesBetween(start, cal.addBusinessMinutes(start, n)) === n;
        }),
        { numRuns: 500 },
      );
    });

    it('the due instant is never in closed time, except exactly at a closing boundary', () => {
      fc.assert(
        fc.property(instant, minutes, (s, n) => {
          const due = cal.addBusinessMinutes(new Date(s), n);
          if (cal.isOpen(due)) return true;
          // closed: must be the end of an open interval, i.e. open just before, and n > 0
          return n > 0 && cal.isOpen(new Date(due.getTime() - 1)) && ref(due.getTime() - 1) && !ref(due.getTime());
        }),
        { numRuns: 500 },
      );
    });

    it('is monotonic in n (strictly), and a due is never before the start', () => {
      fc.assert(
        fc.property(instant, minutes, minutes, (s, a, b) => {
          const [n1, n2] = a <= b ? [a, b] : [b, a];
          const d1 = cal.addBusinessMinutes(new Date(s), n1).getTime();
          const d2 = cal.addBusinessMinutes(new Date(s), n2).getTime();
          return d1 >= s && (n1 === n2 ? d1 === d2 : d1 < d2);
        }),
        { numRuns: 400 },
      );
    });

    it('businessMinutesBetween is additive and antisymmetric', () => {
      fc.assert(
        fc.property(instant, instant, instant, (x, y, z) => {
          const [a, b, c] = [x, y, z].sort((p, q) => p - q).map((t) => new Date(t)) as [Date, Date, Date];
          const ab = cal.businessMinutesBetween(a, b);
          const bc = cal.businessMinutesBetween(b, c);
          const ac = cal.businessMinutesBetween(a, c);
          return Math.abs(ab + bc - ac) < 1e-9 && cal.businessMinutesBetween(b, a) === -ab && ab >= 0;
        }),
        { numRuns: 300 },
      );
    });

    it('nextOpening(t) is open, not before t, and nothing in between is open', () => {
      fc.assert(
        fc.property(instant, (t) => {
          const o = cal.nextOpening(new Date(t)).getTime();
          if (!(o >= t && cal.isOpen(new Date(o)))) return false;
          if (o === t) return true;
          return cal.businessMinutesBetween(new Date(t), new Date(o)) === 0 && !ref(t) && ref(o);
        }),
        { numRuns: 400 },
      );
    });

    it('counting from a closed start equals counting from the next opening', () => {
      fc.assert(
        fc.property(instant, minutes, (s, n) => {
          const start = new Date(s);
          return cal.addBusinessMinutes(start, n).getTime() === cal.addBusinessMinutes(cal.nextOpening(start), n).getTime();
        }),
        { numRuns: 300 },
      );
    });
  });

  it('7x24 equals plain elapsed time (also across DST)', () => {
    fc.assert(
      fc.property(instant, instant, minutes, (a, b, n) => {
        const s = new Date(a);
        return (
          always.addBusinessMinutes(s, n).getTime() === a + n * MINUTE_MS &&
          always.businessMinutesBetween(s, new Date(b)) === (b - a) / MINUTE_MS &&
          always.isOpen(s) &&
          always.nextOpening(s).getTime() === a
        );
      }),
      { numRuns: 300 },
    );
  });

  it('a fresh instance gives the same answers as a warmed-up one (cache independence)', () => {
    fc.assert(
      fc.property(instant, minutes, (s, n) => {
        const fresh = new BusinessCalendar(BERLIN);
        return fresh.addBusinessMinutes(new Date(s), n).getTime() === berlin.addBusinessMinutes(new Date(s), n).getTime();
      }),
      { numRuns: 50 },
    );
  });
});

describe('BusinessCalendar explicit cases', () => {
  const add = (cal: BusinessCalendar, s: string, n: number) => cal.addBusinessMinutes(iso(s), n).toISOString();
  const between = (cal: BusinessCalendar, a: string, b: string) => cal.businessMinutesBetween(iso(a), iso(b));

  describe('weekends and closed starts (Asia/Shanghai, Mon–Fri 09–18)', () => {
    it('carries over the weekend: Fri 17:00 + 120 min = Mon 10:00', () => {
      expect(add(shanghai, '2026-03-06T17:00:00+08:00', 120)).toBe(iso('2026-03-09T10:00:00+08:00').toISOString());
      expect(between(shanghai, '2026-03-06T17:00:00+08:00', '2026-03-09T10:00:00+08:00')).toBe(120);
    });

    it('a due exactly at closing time is the closing instant (the 60th minute completes at 18:00)', () => {
      const due = shanghai.addBusinessMinutes(iso('2026-03-06T17:00:00+08:00'), 60);
      expect(due.toISOString()).toBe(iso('2026-03-06T18:00:00+08:00').toISOString());
      expect(shanghai.isOpen(due)).toBe(false); // [09:00, 18:00)
      expect(add(shanghai, '2026-03-06T17:00:00+08:00', 61)).toBe(iso('2026-03-09T09:01:00+08:00').toISOString());
    });

    it('a closed start counts from the next opening', () => {
      expect(add(shanghai, '2026-03-07T10:00:00+08:00', 60)).toBe(iso('2026-03-09T10:00:00+08:00').toISOString()); // Saturday
      expect(add(shanghai, '2026-03-09T07:30:00+08:00', 30)).toBe(iso('2026-03-09T09:30:00+08:00').toISOString()); // early Monday
      expect(add(shanghai, '2026-03-06T18:00:00+08:00', 0)).toBe(iso('2026-03-09T09:00:00+08:00').toISOString()); // at closing
      expect(add(shanghai, '2026-03-06T17:59:00+08:00', 0)).toBe(iso('2026-03-06T17:59:00+08:00').toISOString()); // open
      expect(shanghai.nextOpening(iso('2026-03-07T10:00:00+08:00')).toISOString()).toBe(iso('2026-03-09T09:00:00+08:00').toISOString());
      expect(between(shanghai, '2026-03-07T00:00:00+08:00', '2026-03-09T09:00:00+08:00')).toBe(0);
    });

    it('isOpen is half-open [opening, closing)', () => {
      expect(shanghai.isOpen(iso('2026-03-09T09:00:00+08:00'))).toBe(true);
      expect(shanghai.isOpen(iso('2026-03-09T08:59:59.999+08:00'))).toBe(false);
      expect(shanghai.isOpen(iso('2026-03-09T17:59:59.999+08:00'))).toBe(true);
      expect(shanghai.isOpen(iso('2026-03-09T18:00:00+08:00'))).toBe(false);
    });

    it('is exact to the millisecond and accepts fractional minutes', () => {
      expect(between(shanghai, '2026-03-09T08:00:00+08:00', '2026-03-09T09:00:30.500+08:00')).toBe(30.5 / 60);
      expect(add(shanghai, '2026-03-09T09:00:00+08:00', 1.5)).toBe(iso('2026-03-09T09:01:30+08:00').toISOString());
    });

    it('counts long spans across many cached blocks', () => {
      // 2026-03-02 (Mon) .. 2026-09-28 (Mon): 30 weeks = 150 weekdays, plus the make-up Sunday 09-20
      expect(between(shanghai, '2026-03-02T09:00:00+08:00', '2026-09-28T09:00:00+08:00')).toBe(151 * 9 * 60);
      expect(add(shanghai, '2026-03-02T09:00:00+08:00', 150 * 9 * 60)).toBe(iso('2026-09-24T18:00:00+08:00').toISOString());
    });
  });

  describe('holidays and make-up working days', () => {
    it('skips a holiday range that spans a weekend (National Day, Thu 10-01 .. Wed 10-07)', () => {
      expect(add(shanghai, '2026-09-30T17:00:00+08:00', 120)).toBe(iso('2026-10-08T10:00:00+08:00').toISOString());
      expect(between(shanghai, '2026-09-30T18:00:00+08:00', '2026-10-08T09:00:00+08:00')).toBe(0);
      expect(shanghai.isOpen(iso('2026-10-05T10:00:00+08:00'))).toBe(false); // a Monday inside the range
    });

    it('opens make-up working days (调休) that fall on a weekend', () => {
      expect(add(shanghai, '2026-10-09T17:00:00+08:00', 120)).toBe(iso('2026-10-10T10:00:00+08:00').toISOString()); // Sat 10-10
      expect(shanghai.isOpen(iso('2026-09-20T12:00:00+08:00'))).toBe(true); // Sun 09-20
      // Spring Festival: Sat 02-14 is worked, then closed Sun 02-15 .. Mon 02-23
      expect(add(shanghai, '2026-02-13T17:00:00+08:00', 120)).toBe(iso('2026-02-14T10:00:00+08:00').toISOString());
      expect(add(shanghai, '2026-02-14T17:00:00+08:00', 120)).toBe(iso('2026-02-24T10:00:00+08:00').toISOString());
    });

    it('skips Christmas to New Year across a weekend and a year end (Berlin, split days)', () => {
      // Wed 12-23 16:30 CET: 60 min left that day, then closed (incl. both weekends) until Sat 2027-01-02 09:00
      expect(add(berlin, '2026-12-23T16:30:00+01:00', 120)).toBe(iso('2027-01-02T10:00:00+01:00').toISOString());
      expect(add(berlin, '2026-12-23T16:30:00+01:00', 60 + 4 * 60 + 180 + 60)).toBe(iso('2027-01-04T09:00:00+01:00').toISOString());
      expect(berlin.isOpen(iso('2026-12-26T10:00:00+01:00'))).toBe(false); // a Saturday inside the range
      // lunch break: 11:30 + 60 min = 13:30
      expect(add(berlin, '2026-12-22T11:30:00+01:00', 60)).toBe(iso('2026-12-22T13:30:00+01:00').toISOString());
      // Sunday night window 01:00–04:00 on 12-27 is inside the holiday range: closed
      expect(berlin.isOpen(iso('2026-12-27T02:00:00+01:00'))).toBe(false);
    });
  });

  describe('DST in Europe/Berlin (2026-03-29 02:00→03:00, 2026-10-25 03:00→02:00)', () => {
    const sundays = new BusinessCalendar({
      id: 'de-sundays',
      timeZone: 'Europe/Berlin',
      kind: 'business-hours',
      weekly: { 7: [{ start: '00:00', end: '24:00' }] },
    });
    const gapWindow = new BusinessCalendar({
      id: 'de-gap',
      timeZone: 'Europe/Berlin',
      kind: 'business-hours',
      weekly: { 7: [{ start: '02:00', end: '03:00' }] },
    });

    it('a whole local day is 23 h / 24 h / 25 h long', () => {
      expect(between(sundays, '2026-03-22T00:00:00+01:00', '2026-03-23T00:00:00+01:00')).toBe(24 * 60);
      expect(between(sundays, '2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00')).toBe(23 * 60);
      expect(between(sundays, '2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00')).toBe(25 * 60);
      expect(add(sundays, '2026-03-29T00:00:00+01:00', 23 * 60)).toBe(iso('2026-03-30T00:00:00+02:00').toISOString());
      expect(add(sundays, '2026-10-25T00:00:00+02:00', 25 * 60)).toBe(iso('2026-10-26T00:00:00+01:00').toISOString());
    });

    it('a 01:00–04:00 window is 2 h on the spring day and 4 h on the autumn day', () => {
      expect(between(berlin, '2026-03-29T00:00:00+01:00', '2026-03-29T06:00:00+02:00')).toBe(120);
      expect(add(berlin, '2026-03-29T01:00:00+01:00', 90)).toBe(iso('2026-03-29T03:30:00+02:00').toISOString());
      expect(berlin.isOpen(iso('2026-03-29T03:00:00+02:00'))).toBe(true);
      expect(between(berlin, '2026-10-25T00:00:00+02:00', '2026-10-25T06:00:00+01:00')).toBe(240);
      expect(add(berlin, '2026-10-25T01:00:00+02:00', 150)).toBe(iso('2026-10-25T02:30:00+01:00').toISOString()); // second 02:30
    });

    it('a window inside the skipped hour is empty; inside the repeated hour it is 2 h', () => {
      expect(between(gapWindow, '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z')).toBe(0);
      expect(between(gapWindow, '2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z')).toBe(120);
      expect(gapWindow.nextOpening(iso('2026-03-28T00:00:00Z')).toISOString()).toBe('2026-04-05T00:00:00.000Z'); // next Sunday 02:00 CEST
    });

    it('weekday hours shift by one UTC hour across the transition weekends', () => {
      const office = new BusinessCalendar({
        id: 'de-office',
        timeZone: 'Europe/Berlin',
        kind: 'business-hours',
        weekly: MON_FRI([{ start: '09:00', end: '18:00' }]),
      });
      expect(add(office, '2026-03-27T17:00:00+01:00', 120)).toBe('2026-03-30T08:00:00.000Z'); // Mon 10:00 CEST
      expect(add(office, '2026-10-23T17:00:00+02:00', 120)).toBe('2026-10-26T09:00:00.000Z'); // Mon 10:00 CET
    });

    it('7x24 ignores local time entirely', () => {
      expect(add(always, '2026-03-28T23:00:00Z', 24 * 60)).toBe('2026-03-29T23:00:00.000Z');
      expect(between(always, '2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z')).toBe(25 * 60);
    });
  });

  describe('DST in America/New_York (2026-03-08 02:00→03:00, 2026-11-01 02:00→01:00)', () => {
    const nightly = new BusinessCalendar({
      id: 'us-night',
      timeZone: 'America/New_York',
      kind: 'business-hours',
      weekly: { 7: [{ start: '01:00', end: '04:00' }] },
    });

    it('a whole Sunday is 23 h in March and 25 h in November', () => {
      expect(between(newYork, '2026-03-08T00:00:00-05:00', '2026-03-09T00:00:00-04:00')).toBe(23 * 60);
      expect(between(newYork, '2026-11-01T00:00:00-04:00', '2026-11-02T00:00:00-05:00')).toBe(25 * 60);
    });

    it('a 01:00–04:00 window is 2 h / 4 h on the transition days', () => {
      expect(between(nightly, '2026-03-08T00:00:00Z', '2026-03-09T00:00:00Z')).toBe(120);
      expect(nightly.nextOpening(iso('2026-03-08T00:00:00Z')).toISOString()).toBe('2026-03-08T06:00:00.000Z');
      expect(add(nightly, '2026-03-08T06:00:00Z', 120)).toBe('2026-03-08T08:00:00.000Z');
      expect(between(nightly, '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z')).toBe(240);
      expect(add(nightly, '2026-11-01T05:00:00Z', 240)).toBe('2026-11-01T09:00:00.000Z');
    });

    it('Friday afternoon + 2 h lands on Monday morning in the new offset', () => {
      // Sunday is open all day in this calendar, so use a Saturday-closed week without Sunday hours
      const office = new BusinessCalendar({ ...NEW_YORK, id: 'us-office', weekly: MON_FRI([{ start: '09:00', end: '17:00' }]) });
      expect(add(office, '2026-03-06T16:00:00-05:00', 120)).toBe('2026-03-09T14:00:00.000Z'); // Mon 10:00 EDT
      expect(add(office, '2026-11-25T16:00:00-05:00', 120)).toBe('2026-11-27T15:00:00.000Z'); // skips Thanksgiving
    });
  });

  describe('definition validation', () => {
    it('rejects bad definitions with field paths', () => {
      const problems = validateCalendarDefinition({
        id: '',
        timeZone: 'Mars/Olympus',
        kind: 'business-hours',
        weekly: { 1: [{ start: '18:00', end: '09:00' }], 8: [{ start: '09:00', end: '10:00' }] },
        holidays: [{ date: '2026-02-30' }, { from: '2026-05-05', to: '2026-05-01' }],
        workdays: ['tomorrow'],
      });
      expect(problems).toEqual(
        expect.arrayContaining([
          'id: required',
          expect.stringContaining('timeZone'),
          expect.stringContaining('weekly.1[0]'),
          expect.stringContaining('weekly.8'),
          expect.stringContaining('holidays[0].date'),
          expect.stringContaining('holidays[1]'),
          expect.stringContaining('workdays[0]'),
        ]),
      );
      expect(() => new BusinessCalendar({ id: 'x', timeZone: 'UTC', kind: 'business-hours', weekly: {} })).toThrow(CalendarDefinitionError);
    });

    it('accepts 24:00 and merges overlapping windows', () => {
      const cal = new BusinessCalendar({
        id: 'merge',
        timeZone: 'UTC',
        kind: 'business-hours',
        weekly: {
          1: [
            { start: '10:00', end: '12:00' },
            { start: '09:00', end: '11:00' },
            { start: '20:00', end: '24:00' },
          ],
          2: [{ start: '00:00', end: '01:00' }],
        },
      });
      expect(
        cal
          .openIntervals(iso('2026-03-02T00:00:00Z'), iso('2026-03-04T00:00:00Z'))
          .map((i) => [i.start.toISOString(), i.end.toISOString()]),
      ).toEqual([
        ['2026-03-02T09:00:00.000Z', '2026-03-02T12:00:00.000Z'],
        ['2026-03-02T20:00:00.000Z', '2026-03-03T01:00:00.000Z'], // Monday 24:00 meets Tuesday 00:00
      ]);
    });

    it('refuses negative amounts and invalid dates', () => {
      expect(() => shanghai.addBusinessMinutes(iso('2026-03-02T00:00:00Z'), -1)).toThrow(RangeError);
      expect(() => shanghai.addBusinessMinutes(new Date(NaN), 1)).toThrow(RangeError);
    });

    it('parses local dates strictly', () => {
      expect(parseLocalDate('2028-02-29')).toBe(Date.UTC(2028, 1, 29) / DAY_MS);
      expect(parseLocalDate('2026-02-29')).toBeUndefined();
      expect(isoWeekdayOf(parseLocalDate('2026-03-02')!)).toBe(1);
      expect(isoWeekdayOf(parseLocalDate('1969-12-28')!)).toBe(7);
    });
  });
});
