import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CALENDAR_DEFINITION_SCHEMA } from '@aftersales/calendar';
import { CallerView, ContractTermsView } from '@aftersales/platform';

/** What intake answers, as the OpenAPI document shows it (the shapes the controllers return). */

const dateTime = { type: String, format: 'date-time' } as const;
const date = { type: String, format: 'date', nullable: true } as const;
const text = { type: String, nullable: true } as const;
const WARRANTY = ['in-warranty', 'under-contract', 'expired', 'unknown'];
const SEVERITY = ['P1', 'P2', 'P3', 'P4'];
const SERVICE_MODES = ['remote', 'on-site', 'carry-in', 'mail-in', 'paid', 'return-exchange', 'complaint'];

class Stamped {
  @ApiProperty(dateTime) createdAt: string;
  @ApiProperty(dateTime) updatedAt: string;
}

export class CustomerView extends Stamped {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() region: string;
}

export class SiteView extends Stamped {
  @ApiProperty() id: string;
  @ApiProperty() customerId: string;
  @ApiProperty() name: string;
  @ApiProperty(text) address: string | null;
  @ApiProperty(text) city: string | null;
  @ApiProperty() region: string;
}

export class ContactView extends Stamped {
  @ApiProperty() id: string;
  @ApiProperty() customerId: string;
  @ApiProperty(text) siteId: string | null;
  @ApiProperty() name: string;
  @ApiProperty(text) phone: string | null;
  @ApiProperty({ ...text, description: 'the digits of phone, for matching callers' }) phoneDigits: string | null;
  @ApiProperty(text) email: string | null;
  @ApiProperty({ description: 'a designated reporter (客户指定联系人)' }) designated: boolean;
}

export class ContractView extends Stamped {
  @ApiProperty() id: string;
  @ApiProperty() customerId: string;
  @ApiProperty({ enum: ['business-hours', '7x24'] }) coverage: string;
  @ApiProperty() region: string;
  @ApiProperty(text) calendarId: string | null;
  @ApiProperty(text) policyId: string | null;
  @ApiProperty({ type: String, format: 'date' }) startsOn: string;
  @ApiProperty({ type: String, format: 'date' }) endsOn: string;
  @ApiProperty(date) warrantyEndsOn: string | null;
  @ApiProperty(text) homeCity: string | null;
}

export class AssetView extends Stamped {
  @ApiProperty() id: string;
  @ApiProperty() customerId: string;
  @ApiProperty(text) siteId: string | null;
  @ApiProperty(text) contractId: string | null;
  @ApiProperty() model: string;
  @ApiProperty(text) productLine: string | null;
  @ApiProperty() serialNumber: string;
  @ApiProperty(date) installedOn: string | null;
  @ApiProperty(date) warrantyEndsOn: string | null;
}

export class CalendarView {
  @ApiProperty() id: string;
  @ApiProperty({ type: 'object', properties: CALENDAR_DEFINITION_SCHEMA.properties as never, additionalProperties: false })
  definition: Record<string, unknown>;
  @ApiProperty(dateTime) updatedAt: string;
}

class AddedDays {
  @ApiProperty() holidays: number;
  @ApiProperty() workdays: number;
}

export class HolidayImportView {
  @ApiProperty({ type: CalendarView }) calendar: CalendarView;
  @ApiProperty({ type: AddedDays, description: 'new days merged in (known ones are skipped)' }) added: AddedDays;
}

class LedgerSubjectView {
  @ApiProperty({ enum: ['asset', 'contract'] }) type: string;
  @ApiProperty() id: string;
}

class LedgerExtensionView {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ type: String, nullable: true }) caseNumber: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'who caused the downtime (supplier, customer, third-party, force-majeure)' })
  cause: string | null;
  @ApiProperty() hours: number;
  @ApiProperty({ description: '24-hour days, a partial day counted whole' }) days: number;
  @ApiProperty({ description: 'only supplier-caused downtime extends the warranty' }) counted: boolean;
  @ApiProperty() source: string;
  @ApiProperty() note: string;
  @ApiProperty({ type: String, nullable: true }) by: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) at: string;
}

/** Where a warranty's end came from: the base end and each extension by supplier-caused downtime. */
export class WarrantyLedgerResponse {
  @ApiProperty({ type: LedgerSubjectView }) subject: LedgerSubjectView;
  @ApiProperty({ type: String, format: 'date', nullable: true }) endsOn: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) baseEndsOn: string | null;
  @ApiProperty() extendedDays: number;
  @ApiProperty({ type: [LedgerExtensionView] }) extensions: LedgerExtensionView[];
}

class AgreementOnCallView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() customerId: string;
  @ApiProperty() region: string;
  @ApiProperty({ type: String, nullable: true }) contractId: string | null;
  @ApiProperty({ enum: ['business-hours', '7x24'] }) coverage: string;
  @ApiProperty({ type: String, nullable: true }) calendarId: string | null;
  @ApiProperty({ type: String, nullable: true }) policyId: string | null;
  @ApiProperty() price: string;
  @ApiProperty() currency: string;
  @ApiProperty({ type: String, format: 'date' }) startsOn: string;
  @ApiProperty({ type: String, format: 'date' }) endsOn: string;
  @ApiProperty({ type: [String] }) assetIds: string[];
  @ApiProperty() createdBy: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

class ContractOnCallView extends ContractView {
  @ApiProperty() inForce: boolean;
  @ApiProperty({ enum: WARRANTY }) warranty: string;
  @ApiProperty({ type: String, format: 'date', description: 'the local date the status was judged on' }) asOf: string;
  @ApiProperty({ type: WarrantyLedgerResponse, nullable: true }) warrantyLedger: WarrantyLedgerResponse | null;
}

class AssetOnCallView {
  @ApiProperty({ type: AssetView }) asset: AssetView;
  @ApiProperty({ type: ContractView, nullable: true }) contract: ContractView | null;
  @ApiProperty({ enum: WARRANTY }) warranty: string;
  @ApiProperty({ type: String, format: 'date' }) asOf: string;
  @ApiProperty({ type: WarrantyLedgerResponse, nullable: true }) warrantyLedger: WarrantyLedgerResponse | null;
  @ApiProperty({ type: AgreementOnCallView, nullable: true, description: 'the maintenance agreement in force today, else the latest' })
  agreement: AgreementOnCallView | null;
  @ApiProperty({ description: 'neither warranty nor agreement: the call is taken, the work is paid' }) chargeable: boolean;
}

class DeskMatchView {
  @ApiProperty({ type: CustomerView }) customer: CustomerView;
  @ApiProperty({ type: [ContactView] }) contacts: ContactView[];
  @ApiProperty({ type: [SiteView] }) sites: SiteView[];
  @ApiProperty({ type: [ContractOnCallView] }) contracts: ContractOnCallView[];
  @ApiProperty({ type: [AssetOnCallView] }) assets: AssetOnCallView[];
}

class DeskQueryView {
  @ApiPropertyOptional() phone?: string;
  @ApiPropertyOptional() email?: string;
  @ApiPropertyOptional() serial?: string;
}

export class DeskLookupView {
  @ApiProperty({ type: DeskQueryView }) query: DeskQueryView;
  @ApiProperty({ type: [DeskMatchView], description: 'empty for an unknown caller' }) matches: DeskMatchView[];
}

export class AttachmentRefView {
  @ApiProperty({ format: 'uuid' }) attachmentId: string;
  @ApiProperty() filename: string;
  @ApiProperty() contentType: string;
  @ApiProperty() size: number;
}

class ComplaintAboutView {
  @ApiPropertyOptional({ format: 'uuid' }) caseId?: string;
  @ApiPropertyOptional() caseNumber?: string;
}

class TriageView {
  @ApiProperty({ enum: SEVERITY, nullable: true }) suggestedSeverity: string | null;
  @ApiProperty(text) severityWhy: string | null;
  @ApiProperty({ enum: SERVICE_MODES }) suggestedServiceMode: string;
  @ApiProperty() serviceModeWhy: string;
}

class DuplicateOfView {
  @ApiProperty({ format: 'uuid' }) requestId: string;
  @ApiPropertyOptional({ format: 'uuid' }) caseId?: string;
  @ApiPropertyOptional() caseNumber?: string;
}

export class KnowledgeSuggestionView {
  @ApiProperty({ format: 'uuid' }) articleId: string;
  @ApiProperty() version: number;
  @ApiProperty() title: string;
  @ApiProperty() symptom: string;
  @ApiProperty() solution: string;
  @ApiProperty(text) productLine: string | null;
  @ApiProperty(text) productModel: string | null;
  @ApiProperty({ type: [String] }) errorCodes: string[];
  @ApiProperty({ enum: ['zh-CN', 'en'] }) language: string;
  @ApiProperty() score: number;
  @ApiProperty({ type: [String] }) matchedErrorCodes: string[];
}

export class KnowledgeSuggestionsView {
  @ApiProperty({ type: [KnowledgeSuggestionView] }) items: KnowledgeSuggestionView[];
}

export class RequestView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'neither warranty nor agreement covers the asset: the work is paid' }) chargeable: boolean;
  @ApiProperty() region: string;
  @ApiProperty() customerId: string;
  @ApiProperty({ type: CallerView }) contact: CallerView;
  @ApiProperty({ enum: ['phone', 'portal', 'email', 'im', 'voicemail'] }) channel: string;
  @ApiProperty({ enum: SEVERITY }) severity: string;
  @ApiProperty() symptom: string;
  @ApiProperty({ type: [String] }) errorCodes: string[];
  @ApiProperty(text) productModel: string | null;
  @ApiProperty(text) serialNumber: string | null;
  @ApiProperty(dateTime) receivedAt: string;
  @ApiProperty() createdBy: string;
  @ApiProperty(text) contactId: string | null;
  @ApiProperty(text) siteId: string | null;
  @ApiProperty(text) assetId: string | null;
  @ApiProperty(text) productLine: string | null;
  @ApiProperty({ enum: WARRANTY }) warranty: string;
  @ApiProperty({ type: ContractTermsView, nullable: true }) contract: ContractTermsView | null;
  @ApiProperty(text) impact: string | null;
  @ApiProperty(text) faultKind: string | null;
  @ApiProperty() doa: boolean;
  @ApiProperty({ enum: SERVICE_MODES }) serviceMode: string;
  @ApiProperty({ enum: SEVERITY, nullable: true }) suggestedSeverity: string | null;
  @ApiProperty(text) severityReason: string | null;
  @ApiProperty({ enum: SERVICE_MODES, nullable: true }) suggestedServiceMode: string | null;
  @ApiProperty(text) serviceModeReason: string | null;
  @ApiProperty({ type: ComplaintAboutView, nullable: true }) complaintAbout: ComplaintAboutView | null;
  @ApiProperty({ type: [AttachmentRefView] }) attachments: AttachmentRefView[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the open request this call was linked to' })
  linkedRequestId: string | null;
  @ApiProperty(text) duplicateOverrideReason: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) caseId: string | null;
  @ApiProperty(text) caseNumber: string | null;
  @ApiProperty(text) caseStatus: string | null;
  @ApiProperty({ ...dateTime, nullable: true }) caseStatusAt: string | null;
  @ApiProperty({ ...dateTime, nullable: true, description: 'the hand-off deadline (15 minutes)' }) handoffDueAt: string | null;
  @ApiProperty({ ...dateTime, nullable: true }) handoffOverdueAt: string | null;
  @ApiProperty({ ...dateTime, nullable: true }) takenAt: string | null;
}

/** The answer to filing: the request, why triage suggested what it did, a matching open request, known solutions. */
export class FiledRequestView extends RequestView {
  @ApiPropertyOptional({ type: TriageView }) triage?: TriageView;
  @ApiPropertyOptional({ type: DuplicateOfView, description: 'set (with status 200) when the call was linked to an open request' })
  duplicateOf?: DuplicateOfView;
  @ApiPropertyOptional({ type: [KnowledgeSuggestionView] }) suggestedArticles?: KnowledgeSuggestionView[];
}

export class VoicemailView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() region: string;
  @ApiProperty() callerNumber: string;
  @ApiProperty(text) callerName: string | null;
  @ApiProperty() message: string;
  @ApiProperty(text) customerId: string | null;
  @ApiProperty(text) contactId: string | null;
  @ApiProperty(text) contractId: string | null;
  @ApiProperty(text) calendarId: string | null;
  @ApiProperty(dateTime) recordedAt: string;
  @ApiProperty({ ...dateTime, description: "the contract calendar's next opening: when the task falls due" }) dueAt: string;
  @ApiProperty({ enum: ['queued', 'filed'] }) status: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) requestId: string | null;
  @ApiProperty(text) handledBy: string | null;
  @ApiProperty({ ...dateTime, nullable: true }) handledAt: string | null;
  @ApiProperty() handledEarly: boolean;
  @ApiProperty(dateTime) createdAt: string;
}

export class RecordedVoicemailView extends VoicemailView {
  @ApiProperty({ type: FiledRequestView }) request: FiledRequestView;
}

export class InboundEmailView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() messageId: string;
  @ApiProperty() from: string;
  @ApiProperty(text) fromName: string | null;
  @ApiProperty() subject: string;
  @ApiProperty() text: string;
  @ApiProperty() region: string;
  @ApiProperty(dateTime) receivedAt: string;
  @ApiProperty({ enum: ['received', 'filed', 'unmatched', 'reply'] }) status: string;
  @ApiProperty(text) customerId: string | null;
  @ApiProperty(text) contactId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) requestId: string | null;
  @ApiProperty(text) caseNumber: string | null;
  @ApiProperty(text) filedBy: string | null;
  @ApiProperty({ ...dateTime, nullable: true }) filedAt: string | null;
}

export class InboundEmailDetailView extends InboundEmailView {
  @ApiProperty({ type: [AttachmentRefView] }) attachments: AttachmentRefView[];
}

export class FiledEmailView extends InboundEmailView {
  @ApiProperty({ type: FiledRequestView }) request: FiledRequestView;
}
