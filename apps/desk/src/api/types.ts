/** The shapes the desk reads from the services' APIs (only the fields it uses). */
import type { WarrantyLedgerView } from '@aftersales/contracts/views';

export type Severity = 'P1' | 'P2' | 'P3' | 'P4';
export type Role = 'agent' | 'engineer' | 'manager' | 'customer' | 'admin';
export type CaseStatus =
  | 'received'
  | 'triaged'
  | 'assigned'
  | 'in-progress'
  | 'on-site'
  | 'escalated'
  | 'vendor-case-open'
  | 'waiting-customer'
  | 'waiting-parts'
  | 'waiting-vendor'
  | 'resolved'
  | 'confirmed'
  | 'closed'
  | 'reopened';
export type Impact = 'system-down' | 'data-loss' | 'degraded' | 'partial-fault' | 'question';
export type FaultKind = 'hardware' | 'software' | 'question';
export type ServiceMode = 'remote' | 'on-site' | 'carry-in' | 'mail-in' | 'paid' | 'return-exchange' | 'complaint';
export type Warranty = 'in-warranty' | 'under-contract' | 'expired' | 'unknown';

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface Customer {
  id: string;
  name: string;
}
export interface Contact {
  id: string;
  customerId: string;
  siteId: string | null;
  name: string;
  phone: string | null;
  email: string | null;
  designated: boolean;
}
export interface Site {
  id: string;
  customerId: string;
  name: string | null;
  city: string | null;
  address?: string | null;
}
export interface Contract {
  id: string;
  customerId: string;
  coverage: '7x24' | 'business-hours';
  policyId: string | null;
  startsOn: string;
  endsOn: string;
  inForce?: boolean;
  warranty?: Warranty;
}
export interface Asset {
  id: string;
  customerId: string;
  siteId: string | null;
  contractId: string | null;
  model: string | null;
  productLine: string | null;
  serialNumber: string;
  warrantyEndsOn: string | null;
}
export interface DeskMatch {
  customer: Customer;
  contacts: Contact[];
  sites: Site[];
  contracts: Contract[];
  assets: Array<{ asset: Asset; contract: Contract | null; warranty: Warranty; asOf: string; warrantyLedger?: WarrantyLedger | null }>;
}
export interface DeskLookup {
  query: Record<string, string>;
  matches: DeskMatch[];
}
export interface TriagePreview {
  suggestedSeverity: Severity | null;
  severityWhy: string | null;
  suggestedServiceMode: ServiceMode;
  serviceModeWhy: string;
  warranty: Warranty;
  coverage: string | null;
}
export interface KnowledgeSuggestion {
  articleId: string;
  version: number;
  title: string;
  symptom: string;
  solution: string;
  errorCodes: string[];
  matchedErrorCodes: string[];
}
export interface AttachmentRef {
  attachmentId: string;
  filename: string;
  contentType: string;
  size: number;
}
export interface ServiceRequest {
  id: string;
  customerId: string;
  severity: Severity;
  symptom: string;
  serialNumber: string | null;
  receivedAt: string;
  caseId: string | null;
  caseNumber: string | null;
  caseStatus: CaseStatus | null;
  linkedRequestId: string | null;
  serviceMode: ServiceMode;
  duplicateOf?: { requestId: string; caseId?: string; caseNumber?: string };
  suggestedArticles?: KnowledgeSuggestion[];
}
export interface Voicemail {
  id: string;
  customerId: string | null;
  callerName: string | null;
  callerNumber: string;
  message: string;
  recordedAt: string;
  dueAt: string;
  status: 'queued' | 'filed';
  requestId: string | null;
}
export interface Case {
  id: string;
  caseNumber: string;
  requestId: string;
  region: string;
  customerId: string;
  contact: { name: string; phone?: string; email?: string };
  severity: Severity;
  symptom: string;
  serialNumber: string | null;
  status: CaseStatus;
  openedAt: string;
  caseType: 'incident' | 'complaint';
  productLine: string | null;
  productModel: string | null;
  errorCodes: string[];
  serviceMode: ServiceMode;
  warranty: Warranty;
  assigneeId: string | null;
  assigneeName: string | null;
  tier: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
}
export interface AllowedTransitions {
  status: CaseStatus;
  allowed: Array<{ to: CaseStatus; reasonRequired: boolean }>;
}
export interface WorkLogEntry {
  id: string;
  kind: string;
  public: boolean;
  text: string;
  at: string;
  actor: { subject?: string; role: string };
}
export interface Visit {
  id: string;
  engineerId: string;
  engineerName?: string;
  stage: 'planned' | 'on-site' | 'completed' | 'cancelled';
  plannedArrivalAt: string | null;
  arrivedAt: string | null;
  completedAt: string | null;
  workDone: string | null;
  note?: string | null;
}
export interface ServiceReport {
  id: string;
  visitId: string;
  status: 'awaiting-signatures' | 'signed';
  diagnosis: string;
  workDone: string;
  customerName: string;
  engineerName: string;
  /** one per party; `signedAt` null while that party has not signed */
  signatures: Array<{ party: 'customer' | 'engineer'; method?: 'image' | 'typed'; signerName?: string; signedAt: string | null }>;
}
export interface VendorCase {
  vendor: string;
  vendorCaseNumber: string;
  vendorStatus: string;
  history: Array<{ vendorStatus: string; at: string; note?: string }>;
}
export interface Engineer {
  id: string;
  name: string;
  tier: string;
  region: string;
  superiorId: string | null;
  skills: string[];
}
export interface TimelineEvent {
  key: string;
  kind: 'warning' | 'breach' | 'rung';
  dueAt: string | null;
  status: 'fired' | 'pending' | 'paused' | 'stopped';
  firedAt: string | null;
  target?: string;
  label?: string;
  notifyRoles?: string[];
  action?: string;
}
export interface ClockTimeline {
  clockId: string;
  target: string;
  measures: string | null;
  state: string;
  stopReason: string | null;
  policyId: string;
  severity: Severity;
  pausedAtNow: boolean;
  events: TimelineEvent[];
  downtime?: { minutes: number; warrantyDays: number };
}
export interface BoardClock {
  clockId: string;
  caseId: string;
  region: string;
  severity: Severity;
  target: string;
  state: string;
  startedAt: string;
  dueAt: string | null;
  nextDueAt: string | null;
  pausedSince: string | null;
}
export interface BoardFiring {
  caseId: string;
  region: string;
  severity: Severity;
  target: string;
  key: string;
  dueAt: string;
  firedAt: string;
}
export interface Article {
  id: string;
  status: 'draft' | 'published' | 'withdrawn';
  version: number;
  title: string;
  solution: string;
}

// ---- spares --------------------------------------------------------------------------------
export interface Depot {
  id: string;
  name: string;
  region: string;
  city: string | null;
  home: boolean;
}
export interface Stock {
  depotId: string;
  partNumber: string;
  onHand: number;
  reserved: number;
  available: number;
  inTransit: number;
  defective: number;
  minLevel: number;
  belowMinimum: boolean;
}
export type PartRequestState =
  'awaiting-approval' | 'reserved' | 'picked' | 'shipped' | 'delivered' | 'installed' | 'rejected' | 'cancelled' | 'doa-exchanged';
export interface PartRequest {
  id: string;
  caseId: string | null;
  region: string;
  customerId: string | null;
  severity: Severity;
  partNumber: string;
  quantity: number;
  neededBy: string;
  state: PartRequestState;
  allowed: string[];
  depotId: string;
  depotRegion: string;
  crossRegion: boolean;
  carrier: string | null;
  trackingNumber: string | null;
  courier: string | null;
  late: boolean;
  requestedAt: string;
  shippedAt: string | null;
  deliveredAt: string | null;
  installedAt: string | null;
}
export type ReturnOutcome = 'repaired' | 'sent-to-vendor' | 'scrapped';
export interface PartReturn {
  id: string;
  requestId: string;
  caseId: string | null;
  region: string;
  depotId: string;
  partNumber: string;
  quantity: number;
  doa: boolean;
  state: 'expected' | 'received' | 'repaired' | 'sent-to-vendor' | 'scrapped';
  dueAt: string;
  overdue: boolean;
  receivedAt: string | null;
}
export type RepairState = 'received' | 'diagnosed' | 'quoted' | 'accepted' | 'declined' | 'repaired' | 'returned';
export interface RepairOrder {
  id: string;
  caseId: string | null;
  customerId: string;
  region: string;
  channel: 'carry-in' | 'mail-in';
  serialNumber: string;
  productModel: string | null;
  inWarranty: boolean;
  condition: string;
  fault: string | null;
  partNumber: string | null;
  quotePercent: string | null;
  quoteAmount: string | null;
  state: RepairState;
  allowed: string[];
  receivedAt: string;
  quotedAt: string | null;
  decidedAt: string | null;
}

// ---- survey --------------------------------------------------------------------------------
export const SURVEY_ITEMS = ['responseTime', 'technicalSkill', 'attitude', 'outcome'] as const;
export type SurveyItem = (typeof SURVEY_ITEMS)[number];
export interface Survey {
  id: string;
  caseId: string;
  caseNumber: string;
  week: string;
  customerId: string;
  status: 'sent' | 'partial' | 'answered';
  scores: Partial<Record<SurveyItem, number>>;
  smooth: boolean | null;
  comment: string | null;
  expiresAt: string;
  answeredAt: string | null;
}
export interface Callback {
  id: string;
  caseId: string;
  caseNumber: string;
  region: string;
  week: string;
  customerId: string;
  lowItems: string[];
  requestedAt: string;
  dueAt: string;
  status: 'open' | 'closed';
  overdueAt: string | null;
  outcome: string | null;
}
export interface SurveySummary {
  sent: number;
  answered: number;
  partial: number;
  responseRate: number;
  average: number | null;
  items: Record<string, { answered: number; average: number | null; distribution: Record<string, number> }>;
  smooth: { yes: number; no: number; unanswered: number };
  lowScore: number;
}
export interface SurveyTrend {
  region: string;
  from: string;
  to: string;
  weeks: Array<{ week: string; summary: SurveySummary; averageChange: number | null; responseRateChange: number | null }>;
}

// ---- notify --------------------------------------------------------------------------------
export interface InboxItem {
  id: string;
  caseId: string | null;
  template: string;
  severity: string | null;
  subject: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}
export interface InboxPage extends Page<InboxItem> {
  unread: number;
}

// ---- intake: the warranty ledger ------------------------------------------------------------
export type WarrantyLedger = WarrantyLedgerView;
