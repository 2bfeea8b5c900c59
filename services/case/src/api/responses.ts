import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CaseStatus, CaseType, Severity, Tier } from '@aftersales/contracts';
import { ActorView, CallerView, ContractTermsView, PageOf } from '@aftersales/platform';
import { WORK_LOG_KINDS } from '../cases/work-log.entity';
import { GRADES } from '../engineers/engineer.entity';

/** What the case service answers, as the OpenAPI document shows it (the shapes the controllers return). */

const dateTime = { type: String, format: 'date-time' } as const;
const when = { ...dateTime, nullable: true } as const;
const text = { type: String, nullable: true } as const;
const WARRANTY = ['in-warranty', 'under-contract', 'expired', 'unknown'];
const SERVICE_MODES = ['remote', 'on-site', 'carry-in', 'mail-in', 'paid', 'return-exchange', 'complaint'];

export class CaseView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'NORTH-2026-000042' }) caseNumber: string;
  @ApiProperty({ format: 'uuid' }) requestId: string;
  @ApiProperty() region: string;
  @ApiProperty() customerId: string;
  @ApiProperty({ type: CallerView }) contact: CallerView;
  @ApiProperty({ enum: Severity.options }) severity: string;
  @ApiProperty() symptom: string;
  @ApiProperty(text) serialNumber: string | null;
  @ApiProperty({ enum: CaseStatus.options }) status: string;
  @ApiProperty(dateTime) openedAt: string;
  @ApiProperty({ enum: CaseType.options }) caseType: string;
  @ApiProperty(text) assetId: string | null;
  @ApiProperty(text) productLine: string | null;
  @ApiProperty(text) productModel: string | null;
  @ApiProperty({ type: [String] }) errorCodes: string[];
  @ApiProperty({ enum: SERVICE_MODES }) serviceMode: string;
  @ApiProperty({ enum: WARRANTY }) warranty: string;
  @ApiProperty({ type: ContractTermsView, nullable: true }) contract: ContractTermsView | null;
  @ApiProperty(text) channel: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'complaints: the case complained about' })
  relatedCaseId: string | null;
  @ApiProperty(text) assigneeId: string | null;
  @ApiProperty(text) assigneeName: string | null;
  @ApiProperty({ enum: Tier.options, nullable: true }) tier: string | null;
  @ApiProperty(when) statusChangedAt: string | null;
  @ApiProperty(when) triagedAt: string | null;
  @ApiProperty(when) assignedAt: string | null;
  @ApiProperty(when) resolvedAt: string | null;
  @ApiProperty(when) confirmedAt: string | null;
  @ApiProperty(when) closedAt: string | null;
  @ApiProperty(when) reopenedAt: string | null;
  @ApiProperty(when) diagnosedAt: string | null;
  @ApiProperty() reopenCount: number;
}

/** A page of cases: `total` is exact up to a thousand rows past the page, a lower bound beyond (then `totalExact` is false). */
export class CasePageView extends PageOf(CaseView) {
  @ApiProperty({ description: 'false: counting stopped a thousand rows past the page, and there are at least `total` cases' })
  totalExact: boolean;
}

class HistoryEntryView {
  @ApiProperty({ enum: CaseStatus.options, nullable: true }) from: string | null;
  @ApiProperty({ enum: CaseStatus.options }) to: string;
  @ApiProperty(dateTime) at: string;
  @ApiProperty(text) reason: string | null;
  @ApiProperty({ type: ActorView }) actor: ActorView;
}

export class HistoryView {
  @ApiProperty({ type: [HistoryEntryView] }) items: HistoryEntryView[];
}

export class WorkLogEntryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: WORK_LOG_KINDS }) kind: string;
  @ApiProperty({ description: 'shown to the customer' }) public: boolean;
  @ApiProperty() text: string;
  @ApiProperty(dateTime) at: string;
  @ApiProperty({ type: ActorView }) actor: ActorView;
  @ApiPropertyOptional({ type: 'object', nullable: true, additionalProperties: true, description: 'staff only: what the entry refers to' })
  data?: Record<string, unknown> | null;
}

export class DiagnosisView {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid' }) workLogEntryId: string;
  @ApiProperty() episode: number;
  @ApiProperty() summary: string;
  @ApiProperty({ type: [String] }) errorCodes: string[];
  @ApiProperty({ type: ActorView }) actor: ActorView;
  @ApiProperty(dateTime) at: string;
  @ApiProperty({ description: "the episode's first diagnosis (announced; it stops the diagnosis clocks)" }) first: boolean;
  @ApiProperty(dateTime) diagnosedAt: string;
}

export class EngineerView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: Tier.options }) tier: string;
  @ApiProperty({ enum: GRADES }) grade: string;
  @ApiProperty({ type: [String], description: 'product lines' }) skills: string[];
  @ApiProperty() region: string;
  @ApiProperty(text) superiorId: string | null;
  @ApiProperty() senior: boolean;
  @ApiProperty() active: boolean;
  @ApiProperty() maxLoad: number;
  @ApiProperty(dateTime) createdAt: string;
  @ApiProperty(dateTime) updatedAt: string;
  @ApiProperty({ description: 'open cases owned now' }) load: number;
}

export class VisitView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty() engineerId: string;
  @ApiProperty({ enum: ['planned', 'on-site', 'completed'] }) stage: string;
  @ApiProperty(dateTime) plannedArrivalAt: string;
  @ApiProperty(when) arrivedAt: string | null;
  @ApiProperty(when) completedAt: string | null;
  @ApiProperty(text) workDone: string | null;
  @ApiPropertyOptional({ ...text, description: 'staff only' }) note?: string | null;
  @ApiPropertyOptional({ description: 'staff only' }) dispatchedBy?: string;
  @ApiPropertyOptional({ ...dateTime, description: 'staff only' }) dispatchedAt?: string;
}

export class VisitListView {
  @ApiProperty({ type: [VisitView] }) items: VisitView[];
}

class PartUsedView {
  @ApiProperty() description: string;
  @ApiPropertyOptional() partNumber?: string;
  @ApiProperty() quantity: number;
}

class SignatureView {
  @ApiProperty({ enum: ['customer', 'engineer'] }) party: string;
  @ApiPropertyOptional({ enum: ['typed', 'image'] }) method?: string;
  @ApiPropertyOptional() signerName?: string;
  @ApiProperty({ ...when, description: 'null: not signed yet' }) signedAt: string | null;
  @ApiPropertyOptional() signedBy?: string;
  @ApiPropertyOptional({ enum: ['image/png', 'image/jpeg'] }) imageType?: string;
  @ApiPropertyOptional() imageUrl?: string;
}

export class ReportView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid' }) visitId: string;
  @ApiProperty({ enum: ['awaiting-signatures', 'signed'] }) status: string;
  @ApiProperty() symptom: string;
  @ApiProperty() diagnosis: string;
  @ApiProperty() workDone: string;
  @ApiProperty({ type: [PartUsedView] }) partsUsed: PartUsedView[];
  @ApiProperty() customerName: string;
  @ApiProperty() engineerName: string;
  @ApiProperty() createdBy: string;
  @ApiProperty(dateTime) createdAt: string;
  @ApiProperty(when) signedAt: string | null;
  @ApiProperty({ type: [SignatureView] }) signatures: SignatureView[];
  @ApiProperty({ description: 'the printable HTML document' }) documentUrl: string;
}

export class ReportListView {
  @ApiProperty({ type: [ReportView] }) items: ReportView[];
}

class VendorUpdateView {
  @ApiProperty() vendorStatus: string;
  @ApiProperty(text) note: string | null;
  @ApiProperty() by: string;
  @ApiProperty(dateTime) at: string;
}

export class VendorCaseView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty() vendor: string;
  @ApiProperty() vendorCaseNumber: string;
  @ApiProperty() vendorStatus: string;
  @ApiProperty() openedBy: string;
  @ApiProperty(dateTime) openedAt: string;
  @ApiProperty(dateTime) updatedAt: string;
  @ApiProperty({ type: [VendorUpdateView] }) history: VendorUpdateView[];
}

class ArticleVersionRef {
  @ApiProperty() version: number;
  @ApiProperty({ enum: ['draft', 'published', 'withdrawn', 'superseded'] }) status: string;
}

/** Customers see neither `sourceCaseId`, `author` nor `publishedBy`. */
export class ArticleView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() version: number;
  @ApiProperty({ enum: ['draft', 'published', 'withdrawn', 'superseded'] }) status: string;
  @ApiProperty() title: string;
  @ApiProperty(text) productLine: string | null;
  @ApiProperty(text) productModel: string | null;
  @ApiProperty() symptom: string;
  @ApiProperty({ type: [String] }) errorCodes: string[];
  @ApiProperty() solution: string;
  @ApiProperty({ enum: ['zh-CN', 'en'] }) language: string;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'staff only' }) sourceCaseId?: string | null;
  @ApiPropertyOptional({ description: 'staff only' }) author?: string;
  @ApiProperty(dateTime) createdAt: string;
  @ApiProperty(dateTime) updatedAt: string;
  @ApiProperty(when) publishedAt: string | null;
  @ApiPropertyOptional({ ...text, description: 'staff only' }) publishedBy?: string | null;
  @ApiProperty(when) withdrawnAt: string | null;
  @ApiProperty(text) withdrawReason: string | null;
  @ApiPropertyOptional({ type: [ArticleVersionRef], description: 'staff: every version' }) versions?: ArticleVersionRef[];
}

export class SearchHitView extends ArticleView {
  @ApiProperty() score: number;
  @ApiProperty({ type: [String] }) matchedErrorCodes: string[];
}
