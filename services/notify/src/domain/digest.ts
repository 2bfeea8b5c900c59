import { Severity } from './quiet-hours';

export interface AdmissionInput {
  template: string;
  severity: Severity | null;
  channel: string;
  /** messages queued for this recipient on this channel within the rate window */
  recentToRecipient: number;
  /** NOTIFY_RATE_LIMIT (0: none) */
  rateLimit: number;
  /** NOTIFY_DIGEST_MINUTES (0: no digests) */
  digestMinutes: number;
  /** NOTIFY_RATE_WINDOW_MINUTES */
  rateWindowMinutes: number;
}

export type Admission = { kind: 'now' } | { kind: 'digest'; windowMinutes: number; reason: 'low-severity' | 'rate-limit' };

const LOW: ReadonlySet<Severity> = new Set(['P3', 'P4']);
/** notices that may wait for a digest: pre-breach warnings (a breach or a rung is never merged) */
const DIGESTIBLE: ReadonlySet<string> = new Set(['sla-warning']);

/**
 * Whether a message goes on its own or into the recipient's digest. In-app always goes at once
 * (it wakes nobody). Low-severity warnings are merged into one digest per recipient and channel
 * every NOTIFY_DIGEST_MINUTES; beyond the per-recipient rate limit everything but a P1 is merged
 * too (into the same digest), so a storm of P3 cases never floods one engineer's phone.
 */
export function admit(a: AdmissionInput): Admission {
  if (a.channel === 'in-app') return { kind: 'now' };
  if (a.digestMinutes > 0 && DIGESTIBLE.has(a.template) && a.severity !== null && LOW.has(a.severity)) {
    return { kind: 'digest', windowMinutes: a.digestMinutes, reason: 'low-severity' };
  }
  if (a.rateLimit > 0 && a.recentToRecipient >= a.rateLimit && a.severity !== 'P1') {
    return { kind: 'digest', windowMinutes: a.digestMinutes || a.rateWindowMinutes, reason: 'rate-limit' };
  }
  return { kind: 'now' };
}
