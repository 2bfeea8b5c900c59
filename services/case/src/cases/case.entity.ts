import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'cases' })
export class Case {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { name: 'case_number' }) caseNumber: string;
  @Column('uuid', { name: 'request_id' }) requestId: string;
  @Column('text') region: string;
  @Column('text', { name: 'customer_id' }) customerId: string;
  @Column('jsonb') contact: { name: string; phone?: string; email?: string };
  @Column('text') severity: string;
  @Column('text') symptom: string;
  @Column('text', { name: 'serial_number', nullable: true }) serialNumber: string | null;
  @Column('text') status: string;
  @Column('timestamptz', { name: 'opened_at' }) openedAt: Date;
}
