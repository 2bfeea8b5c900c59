import { BusinessCalendar, BusinessWindow, IsoWeekday } from '@aftersales/calendar';
import { icalShiftsAt, IcalShiftOwner } from './ical-on-call';

/**
 * On-call rotations for 7x24 support: a weekly schedule per (region, role) in a time zone. A shift
 * whose end is not after its start runs over midnight into the next day (Sunday night into
 * Monday morning). Whoever's shift covers the event's time is on call; the others are off duty.
 */
export interface Shift {
  personId: string;
  /** ISO weekday the shift starts on: 1 = Monday … 7 = Sunday */
  day: IsoWeekday;
  /** local wall-clock `HH:MM` */
  start: string;
  /** local wall-clock `HH:MM` (or `24:00`); not after `start` = the next day */
  end: string;
}

/** An iCalendar feed of shifts (uploaded, or fetched from `url`), with who its events name resolved at save. */
export interface OnCallFeed {
  ics: string;
  url: string | null;
  /** `mailto:<address>` or `summary:<lower-cased summary>` → person id */
  people: Record<string, string>;
  fetchedAt: string;
}

export interface Rotation {
  region: string;
  role: string;
  timeZone: string;
  shifts: readonly Shift[];
  ical?: OnCallFeed | null;
}

/** The keys an event's owner can be resolved by, the attendee's address first. */
export const ownerKeys = (o: IcalShiftOwner): string[] => [...o.emails.map((e) => `mailto:${e}`), `summary:${o.summary.toLowerCase()}`];

/** Resolves each owner of a feed against the directory: by attendee e-mail, else SUMMARY = the person's id or name. */
export function resolveFeedPeople(
  owners: readonly IcalShiftOwner[],
  people: ReadonlyArray<{ id: string; name: string; email: string | null }>,
): { people: Record<string, string>; unknown: string[] } {
  const byKey = new Map<string, string>();
  for (const p of people) {
    if (p.email) byKey.set(`mailto:${p.email.toLowerCase()}`, p.id);
    byKey.set(`summary:${p.id.toLowerCase()}`, p.id);
    byKey.set(`summary:${p.name.toLowerCase()}`, p.id);
  }
  const out: Record<string, string> = {};
  const unknown: string[] = [];
  for (const o of owners) {
    const key = ownerKeys(o).find((k) => byKey.has(k));
    if (key) out[key] = byKey.get(key)!;
    else unknown.push(o.emails[0] ?? (o.summary || o.uid));
  }
  return { people: out, unknown: [...new Set(unknown)] };
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Problems with a rotation, each naming its field (`shifts[2].end`); empty when valid. */
export function rotationProblems(r: { timeZone: string; shifts: readonly Shift[] }): Array<{ field: string; reason: string }> {
  const out: Array<{ field: string; reason: string }> = [];
  try {
    new Intl.DateTimeFormat('en', { timeZone: r.timeZone });
  } catch {
    out.push({ field: 'timeZone', reason: 'must be an IANA time zone such as Asia/Shanghai' });
  }
  r.shifts.forEach((s, i) => {
    if (!HHMM.test(s.start)) out.push({ field: `shifts[${i}].start`, reason: 'must be HH:MM (00:00-23:59)' });
    if (!HHMM.test(s.end) && s.end !== '24:00') out.push({ field: `shifts[${i}].end`, reason: 'must be HH:MM (00:00-24:00)' });
    if (s.start === s.end) out.push({ field: `shifts[${i}].end`, reason: 'a shift must not be empty or 24 h from its own start' });
  });
  return out;
}

const nextDay = (d: IsoWeekday): IsoWeekday => ((d % 7) + 1) as IsoWeekday;

/** A person's weekly windows, overnight shifts split at midnight. */
export function weeklyWindows(shifts: readonly Shift[]): Partial<Record<IsoWeekday, BusinessWindow[]>> {
  const weekly: Partial<Record<IsoWeekday, BusinessWindow[]>> = {};
  const add = (d: IsoWeekday, w: BusinessWindow) => (weekly[d] = [...(weekly[d] ?? []), w]);
  for (const s of shifts) {
    if (s.end === '24:00' || s.end > s.start) {
      add(s.day, { start: s.start, end: s.end });
    } else {
      add(s.day, { start: s.start, end: '24:00' });
      if (s.end !== '00:00') add(nextDay(s.day), { start: '00:00', end: s.end });
    }
  }
  return weekly;
}

/** The people on call at `at`: the weekly schedule's in the order their first shift is listed, then the feed's. */
export function onCallAt(r: Rotation, at: Date): string[] {
  const people = [...new Set(r.shifts.map((s) => s.personId))];
  const weekly = people.filter((p) => {
    const weekly = weeklyWindows(r.shifts.filter((s) => s.personId === p));
    return new BusinessCalendar({ id: `${r.region}/${r.role}/${p}`, timeZone: r.timeZone, kind: 'business-hours', weekly }).isOpen(at);
  });
  const feed = r.ical
    ? icalShiftsAt(r.ical.ics, at, r.timeZone).flatMap((o) => {
        const person = ownerKeys(o)
          .map((k) => r.ical?.people[k])
          .find((p) => p);
        return person ? [person] : [];
      })
    : [];
  return [...new Set([...weekly, ...feed])];
}

/** Whether a rotation schedules anyone at all (else the role goes to every holder). */
export const hasSchedule = (r: Rotation): boolean => r.shifts.length > 0 || !!r.ical;
