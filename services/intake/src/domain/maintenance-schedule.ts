/**
 * Preventive maintenance on the contract's calendar (domain §9; seed 003 "按季提供巡检服务", seed
 * 004 "每月提供维护记录"): when each occurrence of a plan falls, when it is announced, when it must
 * be done. Frequencies, lead time and completion time are data on the plan.
 *
 * - An inspection or remote check of occurrence n is nominally `startsOn + n × everyMonths`
 *   (calendar months, clamped to the month's end), and takes place at the calendar's first opening
 *   on or after that local date: a holiday or weekend moves it to the next working day. Without a
 *   business calendar it is 09:00 (INTAKE_REMINDER_TIME) local on the nominal date.
 * - It is announced `leadDays` × 24 h before it takes place (letter, fax or e-mail through notify)
 *   and must be done — its report signed — within `completeWithinDays` × 24 h after it starts.
 * - The monthly maintenance record of month n covers the local month [first day, next first day)
 *   of the contract's zone and falls due when the month ends.
 */
import { BusinessCalendar, DAY_MS } from '@aftersales/calendar';
import { addMonths, localInstant } from './local-time';

export type PlanKind = 'inspection' | 'remote-check' | 'maintenance-record';

export interface PlanTerms {
  kind: PlanKind;
  everyMonths: number;
  leadDays: number;
  completeWithinDays: number;
  startsOn: string;
  endsOn: string;
}

export interface Slot {
  seq: number;
  /** when it takes place (a work order opens), or when the month ends (a record is made) */
  scheduledFor: Date;
  announceAt: Date | null;
  dueBy: Date | null;
  /** maintenance records: `YYYY-MM` and its local bounds */
  month: string | null;
  from: Date | null;
  to: Date | null;
}

/** Limits that make a plan sensible: anything outside is refused by field. */
export const PLAN_LIMITS = { everyMonths: [1, 12], leadDays: [0, 90], completeWithinDays: [1, 90] } as const;

export interface Where {
  /** the contract's business calendar, if it has one */
  calendar: BusinessCalendar | null;
  /** its zone, else INTAKE_MAINTENANCE_TIME_ZONE */
  timeZone: string;
  /** local time of a visit when there is no business calendar */
  defaultTime: string;
}

/** Occurrence `seq` of the plan, or null when it would fall after the plan ends. */
export function slot(p: PlanTerms, seq: number, w: Where): Slot | null {
  if (p.kind === 'maintenance-record') return monthSlot(p, seq, w);
  const nominal = addMonths(p.startsOn, seq * p.everyMonths);
  if (nominal > p.endsOn) return null;
  const scheduledFor = visitTime(nominal, w);
  return {
    seq,
    scheduledFor,
    announceAt: new Date(scheduledFor.getTime() - p.leadDays * DAY_MS),
    dueBy: new Date(scheduledFor.getTime() + p.completeWithinDays * DAY_MS),
    month: null,
    from: null,
    to: null,
  };
}

/** The calendar's first opening on or after the local date (holidays and weekends skipped). */
export function visitTime(date: string, w: Where): Date {
  const cal = w.calendar;
  if (!cal || cal.is24x7) return localInstant(date, w.defaultTime, cal?.timeZone ?? w.timeZone);
  return cal.nextOpening(localInstant(date, '00:00', cal.timeZone));
}

function monthSlot(p: PlanTerms, seq: number, w: Where): Slot | null {
  const first = `${p.startsOn.slice(0, 7)}-01`;
  const start = addMonths(first, seq);
  if (start > p.endsOn) return null;
  const zone = w.calendar?.timeZone ?? w.timeZone;
  const from = localInstant(start, '00:00', zone);
  const to = localInstant(addMonths(start, 1), '00:00', zone);
  return { seq, scheduledFor: to, announceAt: null, dueBy: null, month: start.slice(0, 7), from, to };
}

/** Why a plan's numbers are refused (field → reason), empty when fine. */
export function planProblems(p: {
  kind: PlanKind;
  everyMonths: number;
  startsOn: string;
  endsOn: string;
}): Array<{ field: string; reason: string }> {
  const out: Array<{ field: string; reason: string }> = [];
  if (p.kind === 'maintenance-record' && p.everyMonths !== 1) out.push({ field: 'everyMonths', reason: 'a maintenance record is monthly' });
  if (p.endsOn < p.startsOn) out.push({ field: 'endsOn', reason: 'the plan ends before it starts' });
  return out;
}
