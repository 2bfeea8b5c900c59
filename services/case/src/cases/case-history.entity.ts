import type { CaseStatus } from '@aftersales/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One lifecycle transition: who moved the case from what to what, when and why. */
@Entity({ name: 'case_transitions' })
export class CaseTransition {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  /** order within the case (several moves can share a transaction time) */
  @Column({ type: 'bigint', insert: false, update: false, select: true }) seq: string;
  @Column('text', { name: 'from_status' }) from: CaseStatus;
  @Column('text', { name: 'to_status' }) to: CaseStatus;
  @Column('text', { name: 'actor_subject' }) actorSubject: string;
  @Column('text', { name: 'actor_role' }) actorRole: string;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('timestamptz') at: Date;
}
