/**
 * The monthly maintenance record of a contract (seed 004: 每月提供维护记录): what was done in the
 * month, counted from the month's facts, and its life — made at month end as a draft, reviewed by
 * a manager, sent to the customer, archived. Pure.
 */

export type RecordStatus = 'draft' | 'reviewed' | 'sent' | 'archived';
export type RecordAction = 'review' | 'send' | 'archive';

const NEXT: Record<RecordAction, { from: RecordStatus; to: RecordStatus }> = {
  review: { from: 'draft', to: 'reviewed' },
  send: { from: 'reviewed', to: 'sent' },
  archive: { from: 'sent', to: 'archived' },
};

export function recordMove(
  status: RecordStatus,
  action: RecordAction,
): { ok: true; to: RecordStatus } | { ok: false; reason: string; allowed: RecordAction[] } {
  const step = NEXT[action];
  if (step.from === status) return { ok: true, to: step.to };
  const allowed = (Object.keys(NEXT) as RecordAction[]).filter((a) => NEXT[a].from === status);
  return { ok: false, reason: `a ${status} record cannot be ${step.to} (allowed: ${allowed.join(', ') || 'none'})`, allowed };
}

export interface MonthFacts {
  /** incidents and complaints of the contract opened in the month */
  opened: ReadonlyArray<{ severity: string; caseType: string }>;
  /** cases first resolved in the month, and whether an engineer went on site */
  resolved: ReadonlyArray<{ onSite: boolean }>;
  visitsCompleted: number;
  /** inspection work orders signed in the month */
  inspections: ReadonlyArray<{ kind: 'on-site' | 'remote'; failed: number }>;
  inspectionsOverdue: number;
  parts: ReadonlyArray<{ quantity: number }>;
  stillOpen: number;
}

export type RecordCounts = Record<string, number>;

/**
 * The counts the record shows. Remote sessions are the remote checks done plus the cases resolved
 * without anyone on site (the hotline's remote work).
 */
export function recordCounts(f: MonthFacts): RecordCounts {
  const by = (sev: string) => f.opened.filter((c) => c.severity === sev && c.caseType !== 'complaint').length;
  return {
    casesOpened: f.opened.filter((c) => c.caseType !== 'complaint').length,
    p1: by('P1'),
    p2: by('P2'),
    p3: by('P3'),
    p4: by('P4'),
    complaints: f.opened.filter((c) => c.caseType === 'complaint').length,
    casesResolved: f.resolved.length,
    onSiteVisits: f.visitsCompleted,
    remoteSessions: f.resolved.filter((r) => !r.onSite).length + f.inspections.filter((i) => i.kind === 'remote').length,
    inspectionsDone: f.inspections.filter((i) => i.kind === 'on-site').length,
    remoteChecksDone: f.inspections.filter((i) => i.kind === 'remote').length,
    inspectionItemsFailed: f.inspections.reduce((a, i) => a + i.failed, 0),
    inspectionsOverdue: f.inspectionsOverdue,
    partsUsed: f.parts.reduce((a, p) => a + p.quantity, 0),
    casesStillOpen: f.stillOpen,
  };
}
