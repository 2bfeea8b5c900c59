import { Channel } from './addresses';
import { hasSchedule, onCallAt, Rotation } from './on-call';

export type Language = 'zh-CN' | 'en';

export interface Person {
  id: string;
  name: string;
  language: Language;
  email: string | null;
  phone: string | null;
  wecom: string | null;
  dingtalk: string | null;
  deputyId: string | null;
  awayFrom: Date | null;
  awayUntil: Date | null;
}

export interface Address {
  channel: Channel;
  address: string;
}

export interface Recipient {
  /** the role (or `case-owner`, `contact`) this recipient was chosen for */
  role: string;
  personId: string | null;
  name: string | null;
  language: Language;
  addresses: Address[];
  /** a deputy standing in for this person (away at the event's time) */
  onBehalfOf: string | null;
}

/** What the directory knows for one region, loaded by the repository for the roles in question. */
export interface DirectoryView {
  /** people holding `role` in the region (or everywhere) */
  holders(role: string): Person[];
  rotation(role: string): Rotation | undefined;
  /** `PUT /role-recipients` rows: addresses registered for the role directly */
  roleAddresses(role: string): Address[];
  person(id: string): Person | undefined;
  /** the engineer who owns the case (case.assigned.v1), if any */
  caseOwner: { id: string; name: string } | null;
}

export const CASE_OWNER = 'case-owner';
const MAX_DEPUTY_HOPS = 3;

export function addressesOf(p: Person): Address[] {
  const out: Address[] = [{ channel: 'in-app', address: p.id }];
  if (p.email) out.push({ channel: 'email', address: p.email });
  if (p.phone) out.push({ channel: 'sms', address: p.phone });
  if (p.wecom) out.push({ channel: 'wecom', address: p.wecom });
  if (p.dingtalk) out.push({ channel: 'dingtalk', address: p.dingtalk });
  return out;
}

const isAway = (p: Person, at: Date) => !!p.awayFrom && p.awayFrom <= at && (!p.awayUntil || at < p.awayUntil);

/** The person, or whoever stands in for them at `at` (deputy of a deputy, up to three hops). */
export function standIn(p: Person, at: Date, dir: Pick<DirectoryView, 'person'>): { person: Person; onBehalfOf: string | null } {
  let current = p;
  for (let hop = 0; hop < MAX_DEPUTY_HOPS && isAway(current, at) && current.deputyId; hop++) {
    const deputy = dir.person(current.deputyId);
    if (!deputy || deputy.id === p.id) break;
    current = deputy;
  }
  return { person: current, onBehalfOf: current.id === p.id ? null : p.id };
}

/** Holders of a role at `at`: those on call when the role has a rotation and someone is on shift; else every holder. */
export function holdersAt(role: string, at: Date, dir: DirectoryView): Person[] {
  const all = dir.holders(role);
  const rotation = dir.rotation(role);
  if (!rotation || !hasSchedule(rotation)) return all;
  const onCall = onCallAt(rotation, at)
    .map((id) => dir.person(id))
    .filter((p): p is Person => !!p);
  return onCall.length ? onCall : all; // a gap in the schedule must not silence the role
}

/**
 * Who is told for `roles` in a region at `at` (the event's time): the case owner for `case-owner`,
 * the holders of each other role (on-call ones for rotated roles; deputies for the away), plus the
 * addresses registered for the role directly. A role nobody holds gets an in-app notice on its
 * queue (`role:<role>@<region>`) so that no rung is ever silent. Each address appears once.
 */
export function resolveStaff(
  roles: readonly string[],
  region: string,
  at: Date,
  dir: DirectoryView,
  defaultLanguage: Language,
): Recipient[] {
  const out: Recipient[] = [];
  const seen = new Set<string>();
  const push = (r: Recipient) => {
    const addresses = r.addresses.filter((a) => !seen.has(`${a.channel}|${a.address}`));
    addresses.forEach((a) => seen.add(`${a.channel}|${a.address}`));
    if (addresses.length) out.push({ ...r, addresses });
  };
  for (const role of roles) {
    const people = role === CASE_OWNER && dir.caseOwner ? [ownerOf(dir.caseOwner, dir, defaultLanguage)] : holdersAt(role, at, dir);
    const direct = dir.roleAddresses(role);
    for (const p of people) {
      const { person, onBehalfOf } = standIn(p, at, dir);
      push({ role, personId: person.id, name: person.name, language: person.language, addresses: addressesOf(person), onBehalfOf });
    }
    for (const a of direct) {
      push({
        role,
        personId: a.channel === 'in-app' ? a.address : null,
        name: null,
        language: defaultLanguage,
        addresses: [a],
        onBehalfOf: null,
      });
    }
    if (people.length === 0 && direct.length === 0) {
      push({
        role,
        personId: null,
        name: null,
        language: defaultLanguage,
        addresses: [{ channel: 'in-app', address: `role:${role}@${region}` }],
        onBehalfOf: null,
      });
    }
  }
  return out;
}

/** The case owner from the directory, or (not registered there) an in-app-only entry under the engineer id. */
function ownerOf(owner: { id: string; name: string }, dir: DirectoryView, language: Language): Person {
  return (
    dir.person(owner.id) ?? {
      id: owner.id,
      name: owner.name,
      language,
      email: null,
      phone: null,
      wecom: null,
      dingtalk: null,
      deputyId: null,
      awayFrom: null,
      awayUntil: null,
    }
  );
}
