import { CaseStatus, Channel, ServiceMode } from '@aftersales/contracts';
import { PauseReason, SeverityPolicy, TargetKind } from './sla-policy';

/**
 * One clock per case and target. The row's `target` says what the clock measures, and so which of
 * its plan's events it fires (`clockFires`) and what stops it:
 *
 * - `ladder:<kind>` — the ladder's clock: the ladder measures the time to `<kind>`
 *   (`policy.severities[s].ladder.target`: `diagnosis` for ladder B, `resolution` for ladder A).
 *   It fires the rungs and `<kind>`'s warning and breach, and stops when `<kind>` is met. The
 *   measured kind is in the row target because the firing loop sees only the row target and the
 *   planned event, and a planned event does not say which target the ladder measures.
 * - `<kind>` — every other target the severity's policy has, when it applies to the case: fires
 *   only its own warning and breach and stops when it is met. `diagnosis` at the diagnosis
 *   (`case.diagnosed.v1`); `resolution` at resolution; `response` and `email-reply` (e-mail cases)
 *   at the first response to the customer (`case.customer-responded.v1`); `onsite` (on-site cases,
 *   or from the first dispatch) at the engineer's arrival.
 * - `downtime` — P1 cases under a contract: fires nothing, takes every wait and stops only at
 *   resolution; the warranty extension is measured on it.
 * - `ladder` — the main clock of cases started before migration 1700000000004 (and bulk-loaded
 *   bench clocks): the rungs and every target but the ones that had rows of their own then
 *   (on-site, response, e-mail reply), from the report to resolution.
 *
 * Every running clock of a case takes its waits and stops at resolution.
 */
export const LEGACY_LADDER = 'ladder';
export const DOWNTIME = 'downtime';
/** What a clock row's `target` column holds. */
export type RowTarget = TargetKind | `ladder:${TargetKind}` | typeof LEGACY_LADDER | typeof DOWNTIME;
const LADDER_PREFIX = 'ladder:';
/** The targets that had rows of their own before 1700000000004: the legacy `ladder` row leaves them alone. */
const LEGACY_SEPARATE: ReadonlySet<string> = new Set<TargetKind>(['onsite', 'response', 'email-reply']);
/** Case statuses that resolve the case: every running clock of the episode stops (a close without a resolve too). */
export const RESOLUTION: ReadonlySet<string> = new Set<CaseStatus>(['resolved', 'confirmed', 'closed']);
/** Targets met by the case's first response to the customer: once per case, so not started again by a reopen. */
export const FIRST_RESPONSE_TARGETS: readonly TargetKind[] = ['response', 'email-reply'];

/** Case statuses that wait on someone else, and the pause reason a policy's `pausesOn` names. */
const PAUSE_REASON: Partial<Record<CaseStatus, PauseReason>> = {
  'waiting-customer': 'customer',
  'waiting-parts': 'parts',
  'waiting-vendor': 'vendor',
};

/** The wait a case status opens (every running clock of the case pauses for it, if its policy says so); none for others. */
export const pauseReasonOf = (status: CaseStatus): PauseReason | undefined => PAUSE_REASON[status];

/** The row target of the ladder's clock when the ladder measures `kind`. */
export const ladderRow = (kind: TargetKind): string => `${LADDER_PREFIX}${kind}`;

/** Is this row a case's ladder clock (the current kind or the legacy main clock)? */
export const isLadderRow = (rowTarget: string): boolean => rowTarget === LEGACY_LADDER || rowTarget.startsWith(LADDER_PREFIX);

const measuredCache = new Map<string, TargetKind | null>();
/** The target a row measures: its own kind, the ladder's kind for `ladder:<kind>`; null for `ladder` and `downtime`. */
export function measuredBy(rowTarget: string): TargetKind | null {
  let kind = measuredCache.get(rowTarget);
  if (kind === undefined) {
    kind =
      rowTarget === LEGACY_LADDER || rowTarget === DOWNTIME
        ? null
        : ((rowTarget.startsWith(LADDER_PREFIX) ? rowTarget.slice(LADDER_PREFIX.length) : rowTarget) as TargetKind);
    measuredCache.set(rowTarget, kind);
  }
  return kind;
}

/** The rows a target's milestone stops: the target's own and the ladder's, if the ladder measures it. */
export const rowsMetBy = (...kinds: TargetKind[]): string[] => kinds.flatMap((k) => [k, ladderRow(k)]);

/**
 * Does a clock row with this target fire this planned event? Rungs are the events without a
 * target; warnings and breaches carry theirs.
 */
export function clockFires(clockTarget: string, e: { target?: TargetKind }): boolean {
  if (clockTarget === LEGACY_LADDER) return !(e.target && LEGACY_SEPARATE.has(e.target));
  if (clockTarget.startsWith(LADDER_PREFIX)) return e.target === undefined || e.target === measuredBy(clockTarget);
  return e.target !== undefined && e.target === clockTarget;
}

export interface CaseTerms {
  /** P1…P4 (a `Severity`); any other text counts as none of them */
  severity: string;
  contractId?: string | null;
  serviceMode?: ServiceMode;
  channel?: Channel;
}

/**
 * The clocks a case starts with when it opens: the ladder's, a separate one for each other target
 * of the severity's policy that applies to the case, and the downtime clock of a P1 under a contract.
 */
export function rowTargetsAtOpen(policy: SeverityPolicy | undefined, c: CaseTerms): string[] {
  if (!policy) return [];
  const ladder = policy.ladder.target;
  const has = (k: TargetKind) => k !== ladder && policy.targets[k] !== undefined;
  const out = [ladderRow(ladder)];
  if (has('response')) out.push('response');
  if (has('email-reply') && c.channel === 'email') out.push('email-reply');
  if (has('onsite') && c.serviceMode === 'on-site') out.push('onsite');
  if (has('diagnosis')) out.push('diagnosis');
  if (has('resolution')) out.push('resolution');
  if (downtimeCounts(c)) out.push(DOWNTIME);
  return out;
}

/**
 * The clocks a reopen starts, counted from the reopen: the ladder's and the separate diagnosis and
 * resolution clocks (the fault is back: it is undiagnosed and unresolved again), and the downtime
 * clock. Not the first-response ones — the customer has been answered, once per case — nor a ladder
 * measuring them; on-site time starts again only with a new dispatch.
 */
export function rowTargetsAtReopen(policy: SeverityPolicy | undefined, c: CaseTerms): string[] {
  if (!policy) return [];
  const ladder = policy.ladder.target;
  const out = FIRST_RESPONSE_TARGETS.includes(ladder) ? [] : [ladderRow(ladder)];
  for (const k of ['diagnosis', 'resolution'] as const) if (k !== ladder && policy.targets[k] !== undefined) out.push(k);
  if (downtimeCounts(c)) out.push(DOWNTIME);
  return out;
}

/** Seed 003's warranty extension counts supplier-caused downtime of P1 cases under a contract. */
const downtimeCounts = (c: CaseTerms) => c.severity === 'P1' && !!c.contractId;
