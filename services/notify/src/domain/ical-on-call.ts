import { wallClockToInstant } from '@aftersales/calendar';
import ICAL from 'ical.js';

/**
 * On-call from an iCalendar feed (RFC 5545), as PagerDuty, Opsgenie or a shared Outlook calendar
 * publish it: each VEVENT is a shift, its ATTENDEE (`mailto:`) or SUMMARY names who is on call.
 * Recurring shifts (RRULE, RDATE, EXDATE, moved occurrences by RECURRENCE-ID) are expanded by
 * ical.js. A time with a TZID the feed does not define (or a floating time) is read in the
 * rotation's time zone. Cancelled events put nobody on call.
 */

/** One shift of the feed, before the directory says who it is. */
export interface IcalShiftOwner {
  uid: string;
  /** lower-cased `mailto:` addresses of the event's attendees */
  emails: string[];
  summary: string;
}

export type IcalParse = { ok: true; owners: IcalShiftOwner[] } | { ok: false; reason: string };

/** A feed's events are searched this far back from the asked time (longer shifts are not expected). */
const MAX_SHIFT_MS = 31 * 86_400_000;
/** recurrences expanded per event at most (a daily rule over years stays well below) */
const MAX_OCCURRENCES = 20_000;

interface Parsed {
  /** one per UID: the master event with its moved occurrences related */
  events: ICAL.Event[];
}

const cache = new Map<string, Parsed>();

function parse(ics: string): Parsed {
  let p = cache.get(ics);
  if (p) return p;
  const jcal: unknown = ICAL.parse(ics);
  if (!Array.isArray(jcal)) throw new Error('not a VCALENDAR');
  const root = new ICAL.Component(jcal);
  if (root.name !== 'vcalendar') throw new Error('not a VCALENDAR');
  const zones = root.getAllSubcomponents('vtimezone').map((z) => new ICAL.Timezone(z));
  for (const z of zones) if (!ICAL.TimezoneService.has(z.tzid)) ICAL.TimezoneService.register(z);
  const byUid = new Map<string, ICAL.Event>();
  const exceptions: ICAL.Event[] = [];
  for (const c of root.getAllSubcomponents('vevent')) {
    const e = new ICAL.Event(c);
    if (e.isRecurrenceException()) exceptions.push(e);
    else byUid.set(e.uid || `#${byUid.size}`, e);
  }
  for (const x of exceptions) byUid.get(x.uid)?.relateException(x);
  p = { events: [...byUid.values()] };
  if (cache.size > 50) cache.clear();
  cache.set(ics, p);
  return p;
}

const ownerOf = (c: ICAL.Component, uid: string): IcalShiftOwner => ({
  uid,
  emails: c
    .getAllProperties('attendee')
    .map((a) => String(a.getFirstValue() ?? ''))
    .filter((v) => /^mailto:/i.test(v))
    .map((v) => v.slice(7).trim().toLowerCase()),
  summary: String(c.getFirstPropertyValue('summary') ?? '').trim(),
});

/** Checks a feed and lists who its events name (for the directory to resolve). */
export function parseOnCallFeed(ics: string): IcalParse {
  try {
    const { events } = parse(ics);
    if (!events.length) return { ok: false, reason: 'the calendar has no VEVENT' };
    const owners: IcalShiftOwner[] = [];
    for (const e of events) {
      if (!e.startDate) return { ok: false, reason: `event ${e.uid || e.summary} has no DTSTART` };
      owners.push(ownerOf(e.component, e.uid));
      for (const x of Object.values(e.exceptions)) owners.push(ownerOf(x.component, x.uid));
    }
    const seen = new Set<string>();
    return {
      ok: true,
      owners: owners.filter((o) => !seen.has(JSON.stringify([o.emails, o.summary])) && !!seen.add(JSON.stringify([o.emails, o.summary]))),
    };
  } catch (err) {
    return { ok: false, reason: `not a valid iCalendar file: ${(err as Error).message}` };
  }
}

/** An ICAL.Time as an instant: UTC and defined zones as given, floating or unknown zones in `timeZone`. */
function instant(t: ICAL.Time, timeZone: string): number {
  const zone = t.zone;
  const known = zone && (zone === ICAL.Timezone.utcTimezone || (zone.tzid !== 'floating' && ICAL.TimezoneService.has(zone.tzid)));
  if (t.isDate || !known)
    return wallClockToInstant(
      timeZone,
      Date.UTC(t.year, t.month - 1, t.day, t.isDate ? 0 : t.hour, t.isDate ? 0 : t.minute, t.isDate ? 0 : t.second),
    );
  return t.toUnixTime() * 1000;
}

const cancelled = (c: ICAL.Component) => String(c.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED';

/** The owners of every shift of the feed that covers `at` (start inclusive, end exclusive). */
export function icalShiftsAt(ics: string, at: Date, timeZone: string): IcalShiftOwner[] {
  const t = at.getTime();
  const out: IcalShiftOwner[] = [];
  for (const e of parse(ics).events) {
    if (!e.isRecurring()) {
      if (cancelled(e.component)) continue;
      const start = instant(e.startDate, timeZone);
      const end = e.endDate ? instant(e.endDate, timeZone) : start;
      if (start <= t && t < end) out.push(ownerOf(e.component, e.uid));
      continue;
    }
    const it = e.iterator();
    for (let n = 0, next = it.next(); next && n < MAX_OCCURRENCES; n++, next = it.next()) {
      const o = e.getOccurrenceDetails(next);
      const start = instant(o.startDate, timeZone);
      if (start > t) break;
      if (start < t - MAX_SHIFT_MS) continue;
      const end = instant(o.endDate, timeZone);
      if (t < end && !cancelled(o.item.component)) out.push(ownerOf(o.item.component, e.uid));
    }
  }
  return out;
}
