/**
 * Who the satisfaction report names for a case (seed 000's form): the case owner (Case责任人) and
 * the escalation owner (升级责任人), derived from the case's assignments in order. The first
 * assignee owns the case; a later assignee takes it over at the same tier, but becomes the
 * escalation owner when the case was escalated since the last assignment or the new tier is higher.
 */

export interface Ownership {
  ownerId: string | null;
  ownerName: string | null;
  ownerTier: string | null;
  escalationOwnerId: string | null;
  escalationOwnerName: string | null;
  /** the case moved to `escalated` after its last assignment */
  escalatedSinceAssignment: boolean;
}

export const NO_OWNER: Ownership = {
  ownerId: null,
  ownerName: null,
  ownerTier: null,
  escalationOwnerId: null,
  escalationOwnerName: null,
  escalatedSinceAssignment: false,
};

export interface Assignment {
  engineerId: string;
  engineerName: string;
  tier: string;
}

/** L1 < L2 < L3 < L4; anything else ranks lowest. */
function rank(tier: string | null): number {
  const m = /^L(\d)$/.exec(tier ?? '');
  return m ? Number(m[1]) : 0;
}

export function applyAssignment(o: Ownership, a: Assignment): Ownership {
  if (o.ownerId === null) {
    return { ...o, ownerId: a.engineerId, ownerName: a.engineerName, ownerTier: a.tier, escalatedSinceAssignment: false };
  }
  if (a.engineerId === o.ownerId) return { ...o, escalatedSinceAssignment: false };
  if (o.escalatedSinceAssignment || rank(a.tier) > rank(o.ownerTier)) {
    return { ...o, escalationOwnerId: a.engineerId, escalationOwnerName: a.engineerName, escalatedSinceAssignment: false };
  }
  return { ...o, ownerId: a.engineerId, ownerName: a.engineerName, ownerTier: a.tier, escalatedSinceAssignment: false };
}

export function applyStatus(o: Ownership, to: string): Ownership {
  return to === 'escalated' ? { ...o, escalatedSinceAssignment: true } : o;
}
