import type { Coverage, ServiceMode, Severity, WarrantyStatus } from '@aftersales/contracts';

/** A field the desk must correct, and why (the HTTP layer answers it as a 422). */
export interface FieldError {
  field: string;
  reason: string;
}

/**
 * Triage at intake (domain §3, §4, §7, §9): a suggested severity from the symptom form and a
 * suggested service mode from the kind of fault, warranty and contract. Pure and table-driven;
 * the agent may override either, but only with a reason that stays on the request.
 */

export const IMPACTS = ['system-down', 'data-loss', 'degraded', 'partial-fault', 'question'] as const;
export type Impact = (typeof IMPACTS)[number];

export const FAULT_KINDS = ['hardware', 'software', 'question'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** How a repair unit travels when the customer brings or ships it (seed 004: 送修 / 寄修). */
export const UNIT_DELIVERIES = ['carry-in', 'mail-in'] as const;
export type UnitDelivery = (typeof UNIT_DELIVERIES)[number];

/** §4: whole system down or data lost → P1; badly degraded → P2; partly faulty → P3; a question → P4. */
export const SEVERITY_BY_IMPACT: Record<Impact, { severity: Severity; why: string }> = {
  'system-down': { severity: 'P1', why: 'whole system down or unusable' },
  'data-loss': { severity: 'P1', why: 'data lost' },
  degraded: { severity: 'P2', why: 'performance severely degraded, system still runs' },
  'partial-fault': { severity: 'P3', why: 'part of the system faulty, business continues' },
  question: { severity: 'P4', why: 'information or help on function, installation or configuration' },
};

export interface TriageFacts {
  impact?: Impact;
  faultKind?: FaultKind;
  warranty: WarrantyStatus;
  /** coverage of the contract in force, if any */
  coverage?: Coverage;
  doa?: boolean;
  complaint?: boolean;
  delivery?: UnitDelivery;
}

interface ModeRule {
  when: (f: TriageFacts & { kind?: FaultKind }) => boolean;
  mode: (f: TriageFacts) => ServiceMode;
  why: string;
}

/** First matching row wins. */
export const SERVICE_MODE_RULES: ModeRule[] = [
  { when: (f) => !!f.complaint, mode: () => 'complaint', why: 'a complaint about a case' },
  { when: (f) => !!f.doa, mode: () => 'return-exchange', why: 'dead on arrival: exchanged, not repaired' },
  { when: (f) => f.kind === 'question', mode: () => 'remote', why: 'questions are answered remotely' },
  { when: (f) => f.warranty === 'expired', mode: () => 'paid', why: 'out of warranty and without a maintenance contract: paid service' },
  {
    when: (f) => f.kind === 'hardware' && (f.warranty === 'under-contract' || (f.warranty === 'in-warranty' && !!f.coverage)),
    mode: () => 'on-site',
    why: 'hardware fault under a service contract: engineer on site',
  },
  {
    when: (f) => f.kind === 'hardware' && f.warranty === 'in-warranty',
    mode: (f) => f.delivery ?? 'carry-in',
    why: 'hardware fault under warranty without a service contract: the unit comes in for repair',
  },
  { when: () => true, mode: () => 'remote', why: 'remote diagnosis first (software fault or warranty not known)' },
];

export interface Suggestion {
  severity: Severity | null;
  severityWhy: string | null;
  serviceMode: ServiceMode;
  serviceModeWhy: string;
}

export function suggest(f: TriageFacts): Suggestion {
  const kind: FaultKind | undefined = f.faultKind ?? (f.impact === 'question' ? 'question' : undefined);
  const sev = f.impact ? SEVERITY_BY_IMPACT[f.impact] : kind === 'question' ? SEVERITY_BY_IMPACT.question : null;
  const rule = SERVICE_MODE_RULES.find((r) => r.when({ ...f, kind }))!;
  return { severity: sev?.severity ?? null, severityWhy: sev?.why ?? null, serviceMode: rule.mode(f), serviceModeWhy: rule.why };
}

export interface AgentChoice {
  severity?: Severity;
  severityReason?: string;
  serviceMode?: ServiceMode;
  serviceModeReason?: string;
}

export interface TriageDecision {
  severity: Severity;
  serviceMode: ServiceMode;
  /** set only when the agent overrode the suggestion */
  severityReason: string | null;
  serviceModeReason: string | null;
  errors: FieldError[];
}

/** Without a symptom form there is nothing to override: the agent's severity (default P3) stands. */
export const DEFAULT_SEVERITY: Severity = 'P3';

/** The agent's choice against the suggestion: an override needs a reason; a complaint stays a complaint. */
export function decide(s: Suggestion, c: AgentChoice): TriageDecision {
  const errors: FieldError[] = [];
  const severity = c.severity ?? s.severity ?? DEFAULT_SEVERITY;
  const severityOverridden = !!c.severity && !!s.severity && c.severity !== s.severity;
  if (severityOverridden && !c.severityReason?.trim()) {
    errors.push({ field: 'severityReason', reason: `a reason is required to override the suggested severity ${s.severity}` });
  }
  const serviceMode = c.serviceMode ?? s.serviceMode;
  // filing a complaint is a choice of request, not an override of the suggested service mode
  const modeOverridden = serviceMode !== s.serviceMode && serviceMode !== 'complaint';
  if (s.serviceMode === 'complaint' && serviceMode !== 'complaint') {
    errors.push({ field: 'serviceMode', reason: 'a complaint about a case is filed with serviceMode complaint' });
  } else if (modeOverridden && !c.serviceModeReason?.trim()) {
    errors.push({ field: 'serviceModeReason', reason: `a reason is required to override the suggested service mode ${s.serviceMode}` });
  }
  return {
    severity,
    serviceMode,
    // with no suggestion the agent's reason (if any) still explains the chosen severity
    severityReason: c.severity && c.severity !== s.severity ? c.severityReason?.trim() || null : null,
    serviceModeReason: modeOverridden ? c.serviceModeReason?.trim() || null : null,
    errors,
  };
}
