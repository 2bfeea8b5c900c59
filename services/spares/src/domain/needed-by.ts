export type Severity = 'P1' | 'P2' | 'P3' | 'P4';
export type NeededByHours = Record<Severity, number>;

export const DEFAULT_NEEDED_BY_HOURS: NeededByHours = { P1: 4, P2: 24, P3: 72, P4: 120 };

/**
 * `P1=4,P2=24,P3=72,P4=120` → hours per severity; a severity left out keeps its default. Throws
 * with the offending entry (the config schema turns it into a start-up error naming the variable).
 */
export function parseNeededByHours(text: string): NeededByHours {
  const out: NeededByHours = { ...DEFAULT_NEEDED_BY_HOURS };
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const m = /^(P[1-4])\s*=\s*(\d+(?:\.\d+)?)$/.exec(entry);
    if (!m || Number(m[2]) <= 0) throw new Error(`"${entry}" is not <P1..P4>=<hours above 0>`);
    out[m[1] as Severity] = Number(m[2]);
  }
  return out;
}

/** When the part must be at the site: given by the engineer, else the severity's time from the request. */
export function neededBy(severity: string, requestedAt: Date, hours: NeededByHours, given?: Date): Date {
  if (given) return given;
  const h = hours[severity as Severity] ?? hours.P3;
  return new Date(requestedAt.getTime() + h * 3_600_000);
}

/** Whole minutes past the deadline (0: on time). */
export function lateMinutes(neededByAt: Date, deliveredAt: Date): number {
  return Math.max(0, Math.ceil((deliveredAt.getTime() - neededByAt.getTime()) / 60_000));
}

/**
 * Needed-by of a case's part: the date the engineer gave, else the deadline the case's SLA policy
 * set (on site, else resolution — what escalation's clocks hold for the region, contract and
 * severity), else the severity table. A policy deadline already past falls back to the table.
 */
export function partNeededBy(o: { severity: string; requestedAt: Date; hours: NeededByHours; given?: Date; policy?: Date | null }): Date {
  if (o.given) return o.given;
  if (o.policy && o.policy.getTime() > o.requestedAt.getTime()) return o.policy;
  return neededBy(o.severity, o.requestedAt, o.hours);
}
