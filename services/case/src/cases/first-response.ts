import { CaseStatus } from '@aftersales/contracts';

/**
 * The case's first response to the customer (what the response and e-mail-reply targets wait
 * for): the first public entry of the work log that staff wrote to the customer. Pure rule; the
 * work log applies it under the case's row lock and announces `case.customer-responded.v1` once.
 */

/** Staff answer the customer; the service's own `system` entries and the customer's own words do not. */
export const STAFF_ROLES: readonly string[] = ['engineer', 'agent', 'manager', 'admin'];
/** Public notes and calls are words to the customer; assignment, visit and report entries are bookkeeping they may read. */
export const ANSWER_KINDS = ['note', 'call'] as const;
/** The lifecycle's first-line contact: remote work begins (the hotline calls, mails or connects) or the customer is asked for something. */
export const CONTACT_MOVES: readonly CaseStatus[] = ['in-progress', 'waiting-customer'];

export interface LoggedEntry {
  kind: string;
  public: boolean;
  actor: { role: string };
  data?: Record<string, unknown> | null;
}

/** Is this entry an answer to the customer? `note` / `call`, or `status` with the status moved into. */
export function answerOf(e: LoggedEntry): { kind: 'note' | 'call' | 'status'; status?: CaseStatus } | null {
  if (!e.public || !STAFF_ROLES.includes(e.actor.role)) return null;
  if ((ANSWER_KINDS as readonly string[]).includes(e.kind)) return { kind: e.kind as 'note' | 'call' };
  const to = e.data?.to as CaseStatus | undefined;
  if (e.kind === 'status' && to && CONTACT_MOVES.includes(to)) return { kind: 'status', status: to };
  return null;
}
