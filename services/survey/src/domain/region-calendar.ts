import { BusinessCalendar } from '@aftersales/calendar';
import { batchDueAt, BatchSchedule, hoursMinutes, localParts, zonedInstant } from './week';

/** a batch day never moves further than this (a long holiday such as Spring Festival is 9 days) */
const MAX_MOVE_DAYS = 31;
const DAY_MS = 86_400_000;

/**
 * When a region's weekly batch runs: the configured weekday and time in the zone of the region's
 * calendar; a batch day that has no business hours on that calendar (a holiday, or a weekend the
 * schedule named) moves to the next business day, same time of day.
 */
export function regionBatchDueAt(week: string, s: BatchSchedule, calendar: BusinessCalendar | null): Date {
  const due = batchDueAt(week, s);
  if (!calendar || calendar.is24x7) return due;
  const [h, min] = hoursMinutes(s.time);
  for (let day = 0; day <= MAX_MOVE_DAYS; day++) {
    const l = localParts(new Date(due.getTime() + day * DAY_MS + 12 * 3_600_000), s.timeZone); // noon: clear of DST edges
    const start = zonedInstant(l.y, l.m, l.d, 0, 0, s.timeZone);
    const end = zonedInstant(l.y, l.m, l.d, 23, 59, s.timeZone);
    if (calendar.openIntervals(start, end).length) return zonedInstant(l.y, l.m, l.d, h, min, s.timeZone);
  }
  return due;
}

/**
 * A callback's deadline: `hours` of the region calendar's business time after `at` (a callback
 * asked for on Friday evening is due on Monday, not Sunday); around the clock without a calendar.
 */
export function callbackDueAt(at: Date, hours: number, calendar: BusinessCalendar | null): Date {
  if (!calendar || calendar.is24x7) return new Date(at.getTime() + hours * 3_600_000);
  return calendar.addBusinessMinutes(at, hours * 60);
}
