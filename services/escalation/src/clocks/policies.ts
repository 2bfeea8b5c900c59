import { BusinessCalendar, LADDER_B, PRESET_POLICIES, SlaPolicy } from '../domain';

/**
 * Where a clock's policy and calendar come from. For now: the presets (default ladder B) and a
 * 7x24 calendar; per-contract policies and calendars replace these lookups later. A running
 * clock keeps the policy id + version it started with, so the lookup is by both.
 */
export const DEFAULT_POLICY: SlaPolicy = LADDER_B;
export const DEFAULT_CALENDAR: BusinessCalendar = BusinessCalendar.always('7x24', 'UTC');

const byKey = new Map(PRESET_POLICIES.map((p) => [`${p.id}@${p.version}`, p]));
const calendars = new Map([[DEFAULT_CALENDAR.id, DEFAULT_CALENDAR]]);

export function policyFor(id: string | null, version: number | null): SlaPolicy {
  if (id === null || version === null) return DEFAULT_POLICY;
  const p = byKey.get(`${id}@${version}`);
  if (!p) throw new Error(`unknown SLA policy ${id} version ${version}`);
  return p;
}

export function calendarFor(id: string | null): BusinessCalendar {
  if (id === null) return DEFAULT_CALENDAR;
  const c = calendars.get(id);
  if (!c) throw new Error(`unknown business calendar ${id}`);
  return c;
}
