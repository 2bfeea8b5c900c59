import { Severity } from './sla-policy';

/**
 * A clock: one row of `sla_clocks` (one clock per case, target and episode), the only model of it —
 * the rules read it, the repository reads and writes it, the HTTP views are made from it.
 */
export interface ClockRow {
  id: string;
  case_id: string;
  region: string;
  severity: Severity;
  /** what the clock measures and fires (see `clock-targets.ts`) */
  target: string;
  /** 1 for the case's first run; a reopen starts the next episode as new rows */
  episode: number;
  /** `running` or `stopped` (resolved/closed); a running clock waiting on someone has `paused_since` */
  state: string;
  started_at: Date;
  /** the breach of the target it measures, as planned (null for the downtime clock) */
  due_at: Date | null;
  /** the next warning, breach or rung to fire (null: nothing more planned) */
  next_due_at: Date | null;
  /** the policy version the clock runs on (kept unless an admin re-bases it) */
  policy_id: string | null;
  policy_version: number | null;
  calendar_id: string | null;
  contract_id: string | null;
  coverage: string | null;
  paused_since: Date | null;
  stopped_at: Date | null;
  /** why it stopped (a met target, the resolution, a re-base) */
  stop_reason: string | null;
}

/** A case milestone that meets a target; recorded so a re-base does not start a clock for a target already met. */
export type Milestone = 'diagnosed' | 'responded' | 'dispatched' | 'arrived';
/** The milestones that meet a target (a dispatch starts the on-site one). */
export type MetMilestone = Exclude<Milestone, 'dispatched'>;

/** What the escalation service knows of a case beyond its clocks (migration 1700000000005). */
export interface CaseFacts {
  channel: string | null;
  serviceMode: string | null;
  /** milestone → the episodes it was reached in */
  milestones: Map<Milestone, Set<number>>;
}
