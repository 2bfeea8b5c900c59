import type { Severity, Tier } from '@aftersales/contracts';

/**
 * Who gets a case (domain §1, §4; seed 000 §4.5, seed 003 §1.7). Pure: the caller loads the
 * engineers with their current load (open cases owned) and applies the decision.
 *
 * - P1/P2 go at once to a named senior second-line (L3) expert, of the case's region if there is
 *   one (else any region), and the customer-service manager is informed.
 * - P3/P4 go to an L1 hotline engineer of the region with room, preferring the product line's skill.
 * - A complaint goes to the superior of the engineer who owns the case complained about, else to
 *   a senior engineer of the region.
 */

/** Technical grades, lowest first (domain §1). */
export const GRADES = [
  'maintenance-assistant',
  'maintenance-engineer',
  'product-engineer',
  'senior-engineer',
  'system-engineer',
  'technical-expert',
] as const;
export type Grade = (typeof GRADES)[number];

export interface Candidate {
  id: string;
  name: string;
  tier: Tier;
  grade: Grade;
  skills: string[];
  region: string;
  superiorId: string | null;
  senior: boolean;
  active: boolean;
  maxLoad: number;
  /** open cases owned now */
  load: number;
}

export interface AssignmentNeed {
  severity: Severity;
  region: string;
  productLine?: string | null;
  caseType: 'incident' | 'complaint' | 'inspection';
  /** complaints: who owns the case complained about (null if nobody does) */
  complainedAboutOwnerId?: string | null;
}

export type AssignmentDecision =
  { assigned: true; engineer: Candidate; tier: Tier; reason: string; informManager: boolean } | { assigned: false; reason: string };

const gradeRank = (g: Grade) => GRADES.indexOf(g);
const hasSkill = (c: Candidate, productLine?: string | null) =>
  !!productLine && c.skills.some((s) => s.toLowerCase() === productLine.toLowerCase());
const hasRoom = (c: Candidate) => c.load < c.maxLoad;

/** Best first: compares tuples of numbers, higher is better. */
function best(pool: Candidate[], score: (c: Candidate) => number[]): Candidate | undefined {
  const scored = pool.map((c) => ({ c, k: score(c) }));
  scored.sort((a, b) => {
    for (const [i, x] of a.k.entries()) {
      const y = b.k[i] ?? 0;
      if (x !== y) return y - x;
    }
    return a.c.id.localeCompare(b.c.id);
  });
  return scored[0]?.c;
}

export function decideAssignment(need: AssignmentNeed, engineers: Candidate[]): AssignmentDecision {
  const active = engineers.filter((e) => e.active);
  if (need.caseType === 'complaint') return complaint(need, active, engineers);
  if (need.severity === 'P1' || need.severity === 'P2') return emergency(need, active);
  return hotline(need, active);
}

function emergency(need: AssignmentNeed, active: Candidate[]): AssignmentDecision {
  const experts = active.filter((e) => e.tier === 'L3' && e.senior);
  const pool = experts.length ? experts : active.filter((e) => e.tier === 'L3');
  const e = best(pool, (c) => [
    c.region === need.region ? 1 : 0,
    hasSkill(c, need.productLine) ? 1 : 0,
    hasRoom(c) ? 1 : 0,
    -c.load,
    gradeRank(c.grade),
  ]);
  if (!e) return { assigned: false, reason: `no active second-line (L3) engineer for a ${need.severity} case` };
  const where = e.region === need.region ? `of region ${need.region}` : `of region ${e.region} (none free in ${need.region})`;
  return {
    assigned: true,
    engineer: e,
    tier: 'L3',
    reason: `${need.severity}: emergency handling by ${e.senior ? 'senior ' : ''}second-line expert ${where}`,
    informManager: true,
  };
}

function hotline(need: AssignmentNeed, active: Candidate[]): AssignmentDecision {
  const pool = active.filter((e) => e.tier === 'L1' && e.region === need.region);
  if (!pool.length) return { assigned: false, reason: `no active L1 hotline engineer in region ${need.region}` };
  const free = pool.filter(hasRoom);
  if (!free.length) return { assigned: false, reason: `every L1 hotline engineer of region ${need.region} is at full load` };
  const e = best(free, (c) => [hasSkill(c, need.productLine) ? 1 : 0, -c.load / Math.max(c.maxLoad, 1), -c.load, gradeRank(c.grade)])!;
  const skill = hasSkill(e, need.productLine) ? `skilled in ${need.productLine}, ` : '';
  return {
    assigned: true,
    engineer: e,
    tier: 'L1',
    reason: `${need.severity}: hotline engineer (${skill}${e.load} of ${e.maxLoad} open cases)`,
    informManager: false,
  };
}

function complaint(need: AssignmentNeed, active: Candidate[], all: Candidate[]): AssignmentDecision {
  const owner = all.find((e) => e.id === need.complainedAboutOwnerId);
  const superior = owner?.superiorId ? active.find((e) => e.id === owner.superiorId) : undefined;
  if (owner && superior) {
    return {
      assigned: true,
      engineer: superior,
      tier: superior.tier,
      reason: `complaint: the superior of ${owner.name}, who owns the case complained about, answers it`,
      informManager: false,
    };
  }
  const seniors = active.filter((e) => e.id !== owner?.id && (e.senior || gradeRank(e.grade) >= gradeRank('senior-engineer')));
  const e = best(seniors, (c) => [c.region === need.region ? 1 : 0, c.senior ? 1 : 0, gradeRank(c.grade), -c.load]);
  if (!e) return { assigned: false, reason: 'complaint: no superior and no senior engineer to answer it' };
  const why = owner ? `${owner.name} has no active superior` : 'the case complained about has no owner';
  return { assigned: true, engineer: e, tier: e.tier, reason: `complaint: ${why}; a senior engineer answers it`, informManager: false };
}
