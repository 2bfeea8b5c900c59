import { Column, Entity, PrimaryColumn } from 'typeorm';

export const WORK_LOG_KINDS = [
  'note',
  'call',
  'email',
  'status',
  'assignment',
  'visit',
  'vendor',
  'report',
  'system',
  'diagnosis',
] as const;
export type WorkLogKind = (typeof WORK_LOG_KINDS)[number];

/** The case's audit trail (domain §5: who, when, what); customers see the public entries only. */
@Entity({ name: 'case_worklog' })
export class WorkLogEntry {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  /** order of entry within the service (times may tie within a transaction) */
  @Column({ type: 'bigint', insert: false, update: false, select: true }) seq: string;
  @Column('text') kind: WorkLogKind;
  @Column('boolean') public: boolean;
  @Column('text', { name: 'actor_subject' }) actorSubject: string;
  @Column('text', { name: 'actor_role' }) actorRole: string;
  @Column('text') text: string;
  @Column('jsonb', { nullable: true }) data: Record<string, unknown> | null;
  @Column('timestamptz') at: Date;
}
