import { CaseStatus } from '@aftersales/contracts';

/**
 * The case lifecycle (domain §5) as data: every legal move, who may make it and whether it needs
 * a reason. Anything not in the table is illegal. Pure: the transition service applies it under a
 * row lock and adds the guards that need the database (e.g. "an on-site case closes only with a
 * signed service report").
 */

/** Who moves a case: the token roles, plus `system` for the service's own automatic moves. */
export type ActorRole = 'agent' | 'engineer' | 'manager' | 'customer' | 'admin' | 'system';

export const ALL_STATUSES: readonly CaseStatus[] = CaseStatus.options;

/** Someone works the case: remote, on site, second line or with the vendor. */
export const WORKING: readonly CaseStatus[] = ['in-progress', 'on-site', 'escalated', 'vendor-case-open'];
/** Waiting on someone else: the escalation clocks pause (resume returns to a working state). */
export const PAUSES: readonly CaseStatus[] = ['waiting-customer', 'waiting-parts', 'waiting-vendor'];
/** Statuses in which the case still counts against its owner's load. */
export const OPEN: readonly CaseStatus[] = ['received', 'triaged', 'assigned', 'reopened', ...WORKING, ...PAUSES];

export interface TransitionRule {
  from: CaseStatus;
  to: CaseStatus;
  roles: readonly ActorRole[];
  reason: 'required' | 'optional';
}

const DESK: readonly ActorRole[] = ['agent', 'manager', 'admin', 'system'];
const WORKERS: readonly ActorRole[] = ['engineer', 'agent', 'manager', 'admin', 'system'];
const STAFF: readonly ActorRole[] = ['engineer', 'agent', 'manager', 'admin', 'system'];

/** Statuses whose entry needs a reason whatever the origin (pauses say what is awaited, escalation says why). */
const REASON_ON_ENTRY: ReadonlySet<CaseStatus> = new Set<CaseStatus>([...PAUSES, 'escalated', 'reopened']);

function rules(from: readonly CaseStatus[], to: readonly CaseStatus[], roles: readonly ActorRole[], reason?: 'required'): TransitionRule[] {
  return from.flatMap((f) =>
    to.filter((t) => t !== f).map((t) => ({ from: f, to: t, roles, reason: reason ?? (REASON_ON_ENTRY.has(t) ? 'required' : 'optional') })),
  );
}

export const TRANSITIONS: readonly TransitionRule[] = [
  // intake triaged it (severity, service mode); the desk hands it to an owner
  ...rules(['received'], ['triaged'], DESK),
  ...rules(['triaged'], ['assigned'], DESK),
  // a request withdrawn or found to be no case at all, before anyone worked it
  ...rules(['received', 'triaged'], ['closed'], ['agent', 'manager', 'admin', 'system'], 'required'),
  // a customer who declines a paid repair's quote ends the case (the service closes it, with the reason)
  ...rules(['assigned', 'reopened', ...WORKING, ...PAUSES], ['closed'], ['system'], 'required'),
  // the owner starts remote work, dispatches, escalates or waits
  ...rules(['assigned'], [...WORKING, ...PAUSES], WORKERS),
  // moving between working states (remote ⇄ on site ⇄ second line ⇄ vendor) and into a pause
  ...rules(WORKING, [...WORKING, ...PAUSES], WORKERS),
  // resume from a pause, or switch what is awaited
  ...rules(PAUSES, [...WORKING, ...PAUSES], WORKERS),
  ...rules([...WORKING, ...PAUSES], ['resolved'], WORKERS),
  // the customer confirms the resolution (the desk may record a confirmation given by phone)
  ...rules(['resolved'], ['confirmed'], ['customer', 'agent', 'manager', 'admin']),
  // closing without the customer's confirmation must say why (e.g. unreachable after three calls)
  ...rules(['resolved'], ['closed'], ['agent', 'manager', 'admin', 'system'], 'required'),
  ...rules(['confirmed'], ['closed'], STAFF),
  // the fault is back: the customer or the desk reopens, always with a reason
  ...rules(['resolved', 'confirmed', 'closed'], ['reopened'], ['customer', 'agent', 'manager', 'admin']),
  ...rules(['reopened'], ['assigned', ...WORKING], WORKERS),
];

const byPair = new Map(TRANSITIONS.map((r) => [`${r.from}→${r.to}`, r]));

export function ruleFor(from: CaseStatus, to: CaseStatus): TransitionRule | undefined {
  return byPair.get(`${from}→${to}`);
}

/** The statuses reachable from `from`, for everyone or only for `role`. */
export function allowedNext(from: CaseStatus, role?: ActorRole): CaseStatus[] {
  return TRANSITIONS.filter((r) => r.from === from && (role === undefined || r.roles.includes(role))).map((r) => r.to);
}

export type TransitionCheck =
  | { ok: true; rule: TransitionRule }
  | { ok: false; kind: 'illegal' | 'forbidden' | 'reason-required'; reason: string; allowed: CaseStatus[] };

/** Is `from → to` legal for this role with this reason? The refusal names why and what the role may do instead. */
export function checkTransition(from: CaseStatus, to: CaseStatus, role: ActorRole, reason?: string): TransitionCheck {
  const allowed = allowedNext(from, role);
  const rule = ruleFor(from, to);
  if (!rule) return { ok: false, kind: 'illegal', reason: `a ${from} case cannot move to ${to}`, allowed };
  if (!rule.roles.includes(role)) {
    return { ok: false, kind: 'forbidden', reason: `role ${role} may not move a ${from} case to ${to}`, allowed };
  }
  if (rule.reason === 'required' && !reason?.trim()) {
    return { ok: false, kind: 'reason-required', reason: `moving a ${from} case to ${to} needs a reason`, allowed };
  }
  return { ok: true, rule };
}

/** Of a principal's roles, the one a transition is made as: the broadest wins. */
export function actingRole(roles: readonly string[]): ActorRole {
  for (const r of ['admin', 'manager', 'agent', 'engineer', 'customer'] as const) if (roles.includes(r)) return r;
  throw new Error(`no known role in ${roles.join(',')}`);
}

/** The timestamp column a status sets when the case enters it. */
export const STAMPS: Partial<Record<CaseStatus, 'triagedAt' | 'assignedAt' | 'resolvedAt' | 'confirmedAt' | 'closedAt' | 'reopenedAt'>> = {
  triaged: 'triagedAt',
  assigned: 'assignedAt',
  resolved: 'resolvedAt',
  confirmed: 'confirmedAt',
  closed: 'closedAt',
  reopened: 'reopenedAt',
};

/** The case fields a move to another status sets (its timestamps, and what a reopen resets). */
export interface StatusPatch {
  status: CaseStatus;
  statusChangedAt: Date;
  triagedAt?: Date;
  assignedAt?: Date;
  resolvedAt?: Date | null;
  confirmedAt?: Date | null;
  closedAt?: Date | null;
  reopenedAt?: Date;
  diagnosedAt?: null;
  reopenCount?: number;
}

/**
 * What a case's row becomes when it enters `to` at `at`: its status, the status's own timestamp
 * and — for a reopen — the next episode: the fault is back, so it is unresolved and undiagnosed
 * again, and the reopen is counted.
 */
export function statusPatch(c: { reopenCount: number }, to: CaseStatus, at: Date): StatusPatch {
  const patch: StatusPatch = { status: to, statusChangedAt: at };
  const stamp = STAMPS[to];
  if (stamp) patch[stamp] = at;
  if (to === 'reopened') {
    Object.assign(patch, { reopenCount: c.reopenCount + 1, resolvedAt: null, confirmedAt: null, closedAt: null, diagnosedAt: null });
  }
  return patch;
}
