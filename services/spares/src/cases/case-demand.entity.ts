import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'case_demands' })
export class CaseDemand {
  @PrimaryColumn('uuid', { name: 'case_id' }) caseId: string;
  @Column('text') region: string;
  @Column('text') severity: string;
  @Column('text', { name: 'serial_number', nullable: true }) serialNumber: string | null;
  @Column('timestamptz', { name: 'opened_at' }) openedAt: Date;
}
