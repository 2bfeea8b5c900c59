import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'sla_clocks' })
export class SlaClock {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('text') region: string;
  @Column('text') severity: string;
  @Column('text') target: string;
  @Column('text') state: string;
  @Column('timestamptz', { name: 'started_at' }) startedAt: Date;
  @Column('timestamptz', { name: 'due_at' }) dueAt: Date;
  @Column('timestamptz', { name: 'next_due_at', nullable: true }) nextDueAt: Date | null;
  /** the policy version the clock started with (kept unless an admin re-bases it) */
  @Column('text', { name: 'policy_id', nullable: true }) policyId: string | null;
  @Column('integer', { name: 'policy_version', nullable: true }) policyVersion: number | null;
  @Column('text', { name: 'calendar_id', nullable: true }) calendarId: string | null;
}
