import { Severity } from './sla-policy';

/** A clock as the rules read it: one row of `sla_clocks` (one clock per case, target and episode). */
export interface ClockRow {
  id: string;
  case_id: string;
  region: string;
  severity: Severity;
  /** what the clock measures and fires (see `clock-targets.ts`) */
  target: string;
  episode: number;
  state: string;
  started_at: Date;
  policy_id: string | null;
  policy_version: number | null;
  calendar_id: string | null;
  contract_id: string | null;
  paused_since: Date | null;
  stopped_at: Date | null;
}

/** A clock row with why it stopped (a met target, the resolution, a re-base), for rules that look at stopped clocks. */
export type ClockRowWithStop = ClockRow & { stop_reason: string | null };

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
