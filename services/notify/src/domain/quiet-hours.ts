import { BusinessCalendar, IsoWeekday } from '@aftersales/calendar';

export type Severity = 'P1' | 'P2' | 'P3' | 'P4';

/** The configured business hours (NOTIFY_BUSINESS_DAYS, NOTIFY_BUSINESS_HOURS, NOTIFY_TIME_ZONE). */
export function businessHoursCalendar(timeZone: string, days: readonly number[], hours: string): BusinessCalendar {
  const [start = '00:00', end = '24:00'] = hours.split('-');
  const weekly: Partial<Record<IsoWeekday, Array<{ start: string; end: string }>>> = {};
  for (const d of days) weekly[d as IsoWeekday] = [{ start, end }];
  return new BusinessCalendar({ id: 'notify-business-hours', timeZone, kind: 'business-hours', weekly });
}

export interface QuietCase {
  audience: 'customer' | 'staff';
  channel: string;
  severity: Severity | null;
  /** the customer's contract: business hours, around the clock, or not known */
  coverage: 'business-hours' | '7x24' | null;
}

/**
 * Customers on a business-hours contract (or whose contract is not known) are not texted at night:
 * an SMS outside business hours waits for the next opening, unless the case is a P1. Staff, e-mail,
 * in-app and 7x24 customers are never held. Returns when the message may go, or null for now.
 */
export function holdUntil(c: QuietCase, now: Date, businessHours: BusinessCalendar): Date | null {
  if (c.audience !== 'customer' || c.channel !== 'sms') return null;
  if (c.severity === 'P1' || c.coverage === '7x24') return null;
  return businessHours.isOpen(now) ? null : businessHours.nextOpening(now);
}
