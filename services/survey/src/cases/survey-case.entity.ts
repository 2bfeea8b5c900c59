import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'survey_cases' })
export class SurveyCase {
  @PrimaryColumn('uuid', { name: 'case_id' }) caseId: string;
  @Column('text', { name: 'case_number' }) caseNumber: string;
  @Column('text', { name: 'customer_id' }) customerId: string;
  @Column('jsonb') contact: { name: string; phone?: string; email?: string };
  @Column('text') region: string;
  @Column('timestamptz', { name: 'opened_at' }) openedAt: Date;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt: Date | null;
}
