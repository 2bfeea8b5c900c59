import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ContractTerms } from '@aftersales/contracts';

export interface RequestAttachment {
  attachmentId: string;
  filename: string;
  contentType: string;
  size: number;
}

@Entity({ name: 'service_requests' })
export class ServiceRequest {
  @PrimaryColumn('uuid') id: string;
  @Column('text') region: string;
  @Column('text', { name: 'customer_id' }) customerId: string;
  @Column('jsonb') contact: { name: string; phone?: string; email?: string };
  @Column('text') channel: string;
  @Column('text') severity: string;
  @Column('text') symptom: string;
  @Column('text', { name: 'error_codes', array: true }) errorCodes: string[];
  @Column('text', { name: 'product_model', nullable: true }) productModel: string | null;
  @Column('text', { name: 'serial_number', nullable: true }) serialNumber: string | null;
  @Column('timestamptz', { name: 'received_at' }) receivedAt: Date;
  @Column('text', { name: 'created_by' }) createdBy: string;

  // resolved from the registry when the request came in
  @Column('text', { name: 'contact_id', nullable: true }) contactId: string | null;
  @Column('text', { name: 'site_id', nullable: true }) siteId: string | null;
  @Column('text', { name: 'asset_id', nullable: true }) assetId: string | null;
  @Column('text', { name: 'product_line', nullable: true }) productLine: string | null;
  @Column('text') warranty: string;
  @Column('jsonb', { nullable: true }) contract: ContractTerms | null;

  // triage: the symptom form, the suggestion, and the agent's override with its reason
  @Column('text', { nullable: true }) impact: string | null;
  @Column('text', { name: 'fault_kind', nullable: true }) faultKind: string | null;
  @Column('boolean') doa: boolean;
  @Column('text', { name: 'service_mode' }) serviceMode: string;
  @Column('text', { name: 'suggested_severity', nullable: true }) suggestedSeverity: string | null;
  @Column('text', { name: 'severity_reason', nullable: true }) severityReason: string | null;
  @Column('text', { name: 'suggested_service_mode', nullable: true }) suggestedServiceMode: string | null;
  @Column('text', { name: 'service_mode_reason', nullable: true }) serviceModeReason: string | null;
  @Column('jsonb', { name: 'complaint_about', nullable: true }) complaintAbout: { caseId?: string; caseNumber?: string } | null;
  @Column('jsonb') attachments: RequestAttachment[];

  // duplicates: a repeated call is linked to the open request instead of opening a case
  @Column('text', { name: 'asset_key', nullable: true, select: false }) assetKey: string | null;
  @Column('uuid', { name: 'linked_request_id', nullable: true }) linkedRequestId: string | null;
  @Column('text', { name: 'duplicate_override_reason', nullable: true }) duplicateOverrideReason: string | null;

  // projection of the case service's events
  @Column('uuid', { name: 'case_id', nullable: true }) caseId: string | null;
  @Column('text', { name: 'case_number', nullable: true }) caseNumber: string | null;
  @Column('text', { name: 'case_status', nullable: true }) caseStatus: string | null;
  @Column('timestamptz', { name: 'case_status_at', nullable: true }) caseStatusAt: Date | null;

  // seed 002: taken by a hotline engineer within 15 minutes, else flagged once
  @Column('timestamptz', { name: 'handoff_due_at', nullable: true }) handoffDueAt: Date | null;
  @Column('timestamptz', { name: 'handoff_overdue_at', nullable: true }) handoffOverdueAt: Date | null;
  @Column('timestamptz', { name: 'taken_at', nullable: true }) takenAt: Date | null;
  /** neither warranty nor maintenance agreement: taken all the same, the work is paid (seed 004; 1700000015100) */
  @Column('boolean', { default: false }) chargeable: boolean;
}
