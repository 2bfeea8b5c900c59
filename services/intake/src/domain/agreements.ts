/**
 * Maintenance agreements (维保协议, seed 004: after the warranty, "双方…协商签订设备维护协议";
 * without one, repairs are paid): pure rules for their dates and renewal reminders.
 */
import { addDaysTo } from './local-time';

export interface AgreementDates {
  startsOn: string;
  endsOn: string;
}

/** An agreement ends after it starts (a one-day agreement is not an agreement). */
export function datesProblem(d: AgreementDates): string | null {
  return d.endsOn > d.startsOn ? null : 'endsOn must be after startsOn';
}

/** Two agreements on one asset may not cover the same day (dates are inclusive). */
export function overlaps(a: AgreementDates, b: AgreementDates): boolean {
  return a.startsOn <= b.endsOn && b.startsOn <= a.endsOn;
}

/** In force on local date `today` (inclusive at both ends). */
export function inForce(a: AgreementDates, today: string): boolean {
  return a.startsOn <= today && today <= a.endsOn;
}

/**
 * The renewal reminders of an agreement: `daysBefore` its end each, on the local date that many
 * days before; those already past when the agreement is recorded are skipped (a reminder of an
 * agreement signed 20 days before its end starts at the 7-day one).
 */
export function reminderDays(endsOn: string, daysBefore: readonly number[], today: string): Array<{ daysBefore: number; on: string }> {
  return [...new Set(daysBefore)]
    .sort((a, b) => b - a)
    .map((n) => ({ daysBefore: n, on: addDaysTo(endsOn, -n) }))
    .filter((r) => r.on >= today);
}

/** `60,30,7` → [60, 30, 7]; throws on anything else. */
export function parseReminderDays(text: string): number[] {
  const days = text.split(',').map((s) => s.trim());
  if (!days.length || days.some((d) => !/^\d{1,3}$/.test(d))) throw new Error(`expected days before the end, e.g. 60,30,7; got ${text}`);
  return days.map(Number);
}
