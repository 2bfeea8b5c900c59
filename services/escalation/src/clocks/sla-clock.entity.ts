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
}
