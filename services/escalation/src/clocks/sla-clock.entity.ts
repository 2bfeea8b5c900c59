import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'sla_clocks' })
export class SlaClock {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('text') region: string;
  @Column('text') severity: string;
  @Column('text') target: string;
  /** 1 for the case's first run; a reopen starts the next episode as a new row */
  @Column('integer', { default: 1 }) episode: number;
  /** `running` or `stopped` (resolved/closed); a running clock waiting on someone has `pausedSince` */
  @Column('text') state: string;
  @Column('timestamptz', { name: 'started_at' }) startedAt: Date;
  /** the breach of the target it measures, as planned at the start; null for the downtime clock (1700000000004) */
  @Column('timestamptz', { name: 'due_at', nullable: true }) dueAt: Date | null;
  @Column('timestamptz', { name: 'next_due_at', nullable: true }) nextDueAt: Date | null;
  /** the policy version the clock started with (kept unless an admin re-bases it) */
  @Column('text', { name: 'policy_id', nullable: true }) policyId: string | null;
  @Column('integer', { name: 'policy_version', nullable: true }) policyVersion: number | null;
  @Column('text', { name: 'calendar_id', nullable: true }) calendarId: string | null;
  @Column('text', { name: 'contract_id', nullable: true }) contractId: string | null;
  @Column('text', { nullable: true }) coverage: string | null;
  @Column('timestamptz', { name: 'paused_since', nullable: true }) pausedSince: Date | null;
  @Column('timestamptz', { name: 'stopped_at', nullable: true }) stoppedAt: Date | null;
  @Column('text', { name: 'stop_reason', nullable: true }) stopReason: string | null;
}
