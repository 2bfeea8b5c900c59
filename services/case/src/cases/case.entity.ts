import type { CaseStatus, ContractTerms, ServiceMode, Severity, Tier, WarrantyStatus } from '@aftersales/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'cases' })
export class Case {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { name: 'case_number' }) caseNumber: string;
  @Column('uuid', { name: 'request_id' }) requestId: string;
  @Column('text') region: string;
  @Column('text', { name: 'customer_id' }) customerId: string;
  @Column('jsonb') contact: { name: string; phone?: string; email?: string };
  @Column('text') severity: Severity;
  @Column('text') symptom: string;
  @Column('text', { name: 'serial_number', nullable: true }) serialNumber: string | null;
  @Column('text') status: CaseStatus;
  @Column('timestamptz', { name: 'opened_at' }) openedAt: Date;

  // what intake knew (1700000000100-case-lifecycle)
  @Column('text', { name: 'case_type', default: 'incident' }) caseType: 'incident' | 'complaint' | 'inspection';
  @Column('text', { name: 'asset_id', nullable: true }) assetId: string | null;
  @Column('text', { name: 'product_line', nullable: true }) productLine: string | null;
  @Column('text', { name: 'product_model', nullable: true }) productModel: string | null;
  @Column('text', { name: 'error_codes', array: true, default: () => "'{}'" }) errorCodes: string[];
  @Column('text', { name: 'service_mode', default: 'remote' }) serviceMode: ServiceMode;
  @Column('text', { default: 'unknown' }) warranty: WarrantyStatus;
  @Column('jsonb', { nullable: true }) contract: ContractTerms | null;
  @Column('text', { nullable: true }) channel: string | null;
  /** complaints: the case complained about */
  @Column('uuid', { name: 'related_case_id', nullable: true }) relatedCaseId: string | null;

  // who owns it
  @Column('text', { name: 'assignee_id', nullable: true }) assigneeId: string | null;
  @Column('text', { name: 'assignee_name', nullable: true }) assigneeName: string | null;
  @Column('text', { nullable: true }) tier: Tier | null;

  // lifecycle times
  @Column('timestamptz', { name: 'status_changed_at', nullable: true }) statusChangedAt: Date | null;
  @Column('timestamptz', { name: 'triaged_at', nullable: true }) triagedAt: Date | null;
  @Column('timestamptz', { name: 'assigned_at', nullable: true }) assignedAt: Date | null;
  @Column('timestamptz', { name: 'resolved_at', nullable: true }) resolvedAt: Date | null;
  @Column('timestamptz', { name: 'confirmed_at', nullable: true }) confirmedAt: Date | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt: Date | null;
  @Column('timestamptz', { name: 'reopened_at', nullable: true }) reopenedAt: Date | null;
  /** the current episode's first diagnosis (1700000000400-case-diagnosis); a reopen clears it */
  @Column('timestamptz', { name: 'diagnosed_at', nullable: true }) diagnosedAt: Date | null;
  @Column('int', { name: 'reopen_count', default: 0 }) reopenCount: number;
}
