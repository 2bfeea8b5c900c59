import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An engineer sent to the customer's site for a case: planned, arrived, completed. */
@Entity({ name: 'field_visits' })
export class FieldVisit {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('text', { name: 'engineer_id' }) engineerId: string;
  @Column('timestamptz', { name: 'planned_arrival_at' }) plannedArrivalAt: Date;
  @Column('timestamptz', { name: 'arrived_at', nullable: true }) arrivedAt: Date | null;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt: Date | null;
  @Column('text', { nullable: true }) note: string | null;
  @Column('text', { name: 'work_done', nullable: true }) workDone: string | null;
  @Column('text', { name: 'dispatched_by' }) dispatchedBy: string;
  @Column('timestamptz', { name: 'dispatched_at' }) dispatchedAt: Date;
}

export interface PartUsed {
  description: string;
  partNumber?: string;
  quantity: number;
}

export type ReportStatus = 'awaiting-signatures' | 'signed';
export type SignatureParty = 'customer' | 'engineer';
export const SIGNATURE_PARTIES: readonly SignatureParty[] = ['customer', 'engineer'];

/** 客户服务报告: what was done on a visit, signed by the customer and the field engineer. */
@Entity({ name: 'service_reports' })
export class ServiceReport {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('uuid', { name: 'visit_id' }) visitId: string;
  @Column('text') symptom: string;
  @Column('text') diagnosis: string;
  @Column('text', { name: 'work_done' }) workDone: string;
  @Column('jsonb', { name: 'parts_used' }) partsUsed: PartUsed[];
  @Column('text', { name: 'customer_name' }) customerName: string;
  @Column('text', { name: 'engineer_name' }) engineerName: string;
  @Column('text') status: ReportStatus;
  @Column('text', { name: 'created_by' }) createdBy: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'signed_at', nullable: true }) signedAt: Date | null;
}

@Entity({ name: 'service_report_signatures' })
export class ReportSignature {
  @PrimaryColumn('uuid', { name: 'report_id' }) reportId: string;
  @PrimaryColumn('text') party: SignatureParty;
  @Column('text') method: 'image' | 'typed';
  @Column('text', { name: 'signer_name' }) signerName: string;
  @Column('bytea', { nullable: true, select: false }) image: Buffer | null;
  @Column('text', { name: 'image_type', nullable: true }) imageType: 'image/png' | 'image/jpeg' | null;
  @Column('text', { name: 'signed_by' }) signedBy: string;
  @Column('timestamptz', { name: 'signed_at' }) signedAt: Date;
}

/** The case opened with the upstream vendor (L4, 原厂): its number there and its status as last reported. */
@Entity({ name: 'vendor_cases' })
export class VendorCase {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('text') vendor: string;
  @Column('text', { name: 'vendor_case_number' }) vendorCaseNumber: string;
  @Column('text', { name: 'vendor_status' }) vendorStatus: string;
  @Column('text', { name: 'opened_by' }) openedBy: string;
  @Column('timestamptz', { name: 'opened_at' }) openedAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity({ name: 'vendor_case_updates' })
export class VendorCaseUpdate {
  @PrimaryColumn('uuid') id: string;
  /** the order the updates were recorded in (several may share a timestamp) */
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column('uuid', { name: 'vendor_case_id' }) vendorCaseId: string;
  @Column('text', { name: 'vendor_status' }) vendorStatus: string;
  @Column('text', { nullable: true }) note: string | null;
  @Column('text', { name: 'by_subject' }) bySubject: string;
  @Column('timestamptz') at: Date;
}
