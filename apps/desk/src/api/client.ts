import { api, apiBlob, newIdempotencyKey } from './http';
import type {
  AllowedTransitions,
  AttachmentRef,
  Article,
  Callback,
  Depot,
  InboxPage,
  PartRequest,
  PartReturn,
  RepairOrder,
  ReturnOutcome,
  Stock,
  Survey,
  SurveyItem,
  SurveyTrend,
  BoardClock,
  BoardFiring,
  Case,
  CaseStatus,
  ClockTimeline,
  DeskLookup,
  Engineer,
  FaultKind,
  Impact,
  KnowledgeSuggestion,
  Page,
  ServiceMode,
  ServiceReport,
  ServiceRequest,
  Severity,
  TriagePreview,
  VendorCase,
  Visit,
  Voicemail,
  WorkLogEntry,
} from './types';

/** intake: the call screen, the portal's requests, voicemail and knowledge suggestions. */
export const intake = {
  lookup: (by: 'phone' | 'email' | 'serial', value: string) => api<DeskLookup>('intake', 'GET', '/desk/lookup', { query: { [by]: value } }),
  triage: (q: { customerId?: string; serialNumber?: string; impact?: Impact; faultKind?: FaultKind }) =>
    api<TriagePreview>('intake', 'GET', '/desk/triage', { query: { ...q } }),
  suggestions: (q: { symptom?: string; errorCode?: string[]; productLine?: string | null }) =>
    api<{ items: KnowledgeSuggestion[] }>('intake', 'GET', '/knowledge/suggestions', { query: { ...q, limit: 5 } }),
  requests: (q: { customerId?: string; serialNumber?: string; limit?: number }) =>
    api<Page<ServiceRequest>>('intake', 'GET', '/requests', { query: { ...q } }),
  createRequest: (body: CreateRequestBody, idempotencyKey = newIdempotencyKey()) =>
    api<ServiceRequest>('intake', 'POST', '/requests', { body, idempotencyKey }),
  attachments: (requestId: string) => api<AttachmentRef[]>('intake', 'GET', `/requests/${requestId}/attachments`),
  attach: (requestId: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return api<AttachmentRef>('intake', 'POST', `/requests/${requestId}/attachments`, { form });
  },
  attachment: (attachmentId: string) => apiBlob('intake', `/attachments/${attachmentId}`),
  voicemail: (id: string) => api<Voicemail>('intake', 'GET', `/voicemails/${id}`),
  recordVoicemail: (id: string, body: Omit<CreateRequestBody, 'channel'>, idempotencyKey = newIdempotencyKey()) =>
    api<Voicemail & { request: ServiceRequest }>('intake', 'POST', `/voicemails/${id}/record`, { body, idempotencyKey }),
  voicemails: (q: { due?: boolean; status?: 'queued' | 'filed' }) =>
    api<Page<Voicemail>>('intake', 'GET', '/voicemails', { query: { ...q, limit: 50 } }),
};

export interface CreateRequestBody {
  customerId?: string;
  contactId?: string;
  contact?: { name: string; phone?: string; email?: string };
  channel: 'phone' | 'portal' | 'email' | 'im' | 'voicemail';
  impact?: Impact;
  faultKind?: FaultKind;
  severity?: Severity;
  severityReason?: string;
  serviceMode?: ServiceMode;
  serviceModeReason?: string;
  symptom: string;
  errorCodes?: string[];
  serialNumber?: string;
}

/** case: queues, the case view and the portal's cases. */
export const cases = {
  list: (q: {
    open?: boolean;
    assignee?: string;
    severity?: Severity;
    status?: CaseStatus;
    productLine?: string;
    requestId?: string;
    limit?: number;
    offset?: number;
  }) => api<Page<Case>>('case', 'GET', '/cases', { query: { limit: 200, ...q } }),
  get: (id: string) => api<Case>('case', 'GET', `/cases/${id}`),
  allowed: (id: string) => api<AllowedTransitions>('case', 'GET', `/cases/${id}/transitions`),
  move: (id: string, to: CaseStatus, reason?: string) =>
    api<Case>('case', 'POST', `/cases/${id}/transitions`, { body: { to, ...(reason ? { reason } : {}) } }),
  workLog: (id: string) => api<Page<WorkLogEntry>>('case', 'GET', `/cases/${id}/worklog`, { query: { limit: 200 } }),
  addNote: (id: string, text: string, isPublic: boolean) =>
    api<WorkLogEntry>('case', 'POST', `/cases/${id}/worklog`, {
      body: { kind: 'note', text, public: isPublic },
      idempotencyKey: newIdempotencyKey(),
    }),
  diagnose: (id: string, summary: string) => api<unknown>('case', 'POST', `/cases/${id}/diagnosis`, { body: { summary } }),
  visits: (id: string) => api<{ items: Visit[] }>('case', 'GET', `/cases/${id}/visits`),
  dispatch: (id: string, engineerId: string, plannedArrivalAt: string, note?: string) =>
    api<Visit>('case', 'POST', `/cases/${id}/visits`, {
      body: { engineerId, plannedArrivalAt, ...(note ? { note } : {}) },
      idempotencyKey: newIdempotencyKey(),
    }),
  arrive: (id: string, visitId: string) => api<Visit>('case', 'POST', `/cases/${id}/visits/${visitId}/arrival`, { body: {} }),
  complete: (id: string, visitId: string, workDone: string) =>
    api<Visit>('case', 'POST', `/cases/${id}/visits/${visitId}/completion`, { body: { workDone } }),
  createReport: (id: string, visitId: string, diagnosis: string, customerName?: string) =>
    api<ServiceReport>('case', 'POST', `/cases/${id}/visits/${visitId}/report`, {
      body: { diagnosis, ...(customerName ? { customerName } : {}) },
    }),
  reports: (id: string) => api<{ items: ServiceReport[] }>('case', 'GET', `/cases/${id}/reports`),
  signWithImage: (id: string, reportId: string, party: 'customer' | 'engineer', png: Blob, signerName: string) => {
    const form = new FormData();
    form.append('signature', png, 'signature.png');
    form.append('signerName', signerName);
    return api<ServiceReport>('case', 'POST', `/cases/${id}/reports/${reportId}/signatures/${party}`, { form });
  },
  signTyped: (id: string, reportId: string, party: 'customer' | 'engineer', typedName: string) =>
    api<ServiceReport>('case', 'POST', `/cases/${id}/reports/${reportId}/signatures/${party}`, { body: { typedName } }),
  vendorCase: (id: string) => api<VendorCase>('case', 'GET', `/cases/${id}/vendor-case`),
  openVendorCase: (id: string, vendor: string, vendorCaseNumber: string) =>
    api<VendorCase>('case', 'POST', `/cases/${id}/vendor-case`, { body: { vendor, vendorCaseNumber } }),
  updateVendorCase: (id: string, vendorStatus: string, note?: string) =>
    api<VendorCase>('case', 'PATCH', `/cases/${id}/vendor-case`, { body: { vendorStatus, ...(note ? { note } : {}) } }),
  articleFromCase: (id: string) =>
    api<Article>('case', 'POST', `/cases/${id}/knowledge-article`, { body: {}, idempotencyKey: newIdempotencyKey() }),
  publishArticle: (articleId: string) => api<Article>('case', 'POST', `/knowledge/articles/${articleId}/publish`),
  engineers: (q: { region?: string; tier?: string } = {}) =>
    api<Page<Engineer>>('case', 'GET', '/engineers', { query: { ...q, active: true, limit: 200 } }),
  /** the signed report as the customer keeps it (HTML) */
  documentUrl: (id: string, reportId: string) => `/api/case/cases/${id}/reports/${reportId}/document`,
};

/** escalation: countdowns, the timeline and the manager board. */
export const escalation = {
  timeline: (caseId: string) => api<{ caseId: string; clocks: ClockTimeline[] }>('escalation', 'GET', `/cases/${caseId}/timeline`),
  clocksOf: (caseIds: string[]) =>
    caseIds.length
      ? api<Page<BoardClock>>('escalation', 'GET', '/clocks', { query: { caseId: caseIds.slice(0, 200), limit: 200 } })
      : Promise.resolve({ items: [], total: 0, limit: 200, offset: 0 } as Page<BoardClock>),
  dueBefore: (before: Date) =>
    api<Page<BoardClock>>('escalation', 'GET', '/clocks', { query: { dueBefore: before.toISOString(), limit: 200 } }),
  firings: (since: Date, kind?: 'rung' | 'breach' | 'warning') =>
    api<Page<BoardFiring>>('escalation', 'GET', '/firings', { query: { since: since.toISOString(), kind, limit: 200 } }),
};

/** spares: depots and their stock, part requests of cases, returns owed, repair orders and their quotes. */
export const spares = {
  depots: () => api<Page<Depot>>('spares', 'GET', '/depots', { query: { limit: 200 } }),
  stock: (depotId: string) => api<Page<Stock>>('spares', 'GET', `/depots/${encodeURIComponent(depotId)}/stock`, { query: { limit: 200 } }),
  requests: (q: { caseId?: string; state?: string; depotId?: string }) =>
    api<Page<PartRequest>>('spares', 'GET', '/part-requests', { query: { ...q, limit: 200 } }),
  request: (body: { caseId: string; partNumber: string; quantity: number }, idempotencyKey = newIdempotencyKey()) =>
    api<PartRequest>('spares', 'POST', '/part-requests', { body, idempotencyKey }),
  /** pick, deliver, install (no body); ship with a carrier and tracking number or a courier; cancel with a reason */
  move: (id: string, action: string, body: Record<string, unknown> = {}) =>
    api<PartRequest>('spares', 'POST', `/part-requests/${id}/${action}`, { body }),
  expectReturn: (requestId: string) => api<PartReturn>('spares', 'POST', `/part-requests/${requestId}/returns`, { body: {} }),
  returns: (q: { overdue?: boolean; state?: string; requestId?: string }) =>
    api<Page<PartReturn>>('spares', 'GET', '/returns', { query: { ...q, limit: 200 } }),
  receiveReturn: (id: string, condition: string) => api<PartReturn>('spares', 'POST', `/returns/${id}/receive`, { body: { condition } }),
  /** repaired back to stock, sent to the vendor (with its RMA number) or scrapped; engineers and managers decide */
  disposeReturn: (id: string, body: { outcome: ReturnOutcome; reason: string; rmaNumber?: string }) =>
    api<PartReturn>('spares', 'POST', `/returns/${id}/disposition`, { body }),
  repairOrders: (q: { state?: string; caseId?: string } = {}) =>
    api<Page<RepairOrder>>('spares', 'GET', '/repair-orders', { query: { ...q, limit: 200 } }),
  /** quote (staff), accept (staff or the customer), decline with an optional reason */
  repairMove: (id: string, action: 'quote' | 'accept' | 'decline', body: Record<string, unknown> = {}) =>
    api<RepairOrder>('spares', 'POST', `/repair-orders/${id}/${action}`, { body }),
};

/** survey: the customer's surveys and answers, the manager's callbacks and weekly report. */
export const survey = {
  list: (q: { status?: 'sent' | 'partial' | 'answered'; caseId?: string } = {}) =>
    api<Page<Survey>>('survey', 'GET', '/surveys', { query: { ...q, limit: 100 } }),
  answer: (
    id: string,
    body: { scores: Partial<Record<SurveyItem, number>>; smooth?: boolean; comment?: string },
    idempotencyKey = newIdempotencyKey(),
  ) => api<Survey>('survey', 'POST', `/surveys/${id}/answer`, { body, idempotencyKey }),
  /** how the call to the customer went (a complaint needs its own form: not offered here) */
  closeCallback: (id: string, outcome: 'reached' | 'unreachable', idempotencyKey = newIdempotencyKey()) =>
    api<Callback>('survey', 'POST', `/callbacks/${id}/outcome`, { body: { outcome }, idempotencyKey }),
  callbacks: (q: { status?: 'open' | 'closed' } = {}) =>
    api<Page<Callback>>('survey', 'GET', '/callbacks', { query: { ...q, limit: 100 } }),
  /** the last twelve weeks up to the newest whose batch is due, each against the week before */
  weeks: () => api<SurveyTrend>('survey', 'GET', '/reports/weeks'),
};

/** notify: the signed-in person's in-app inbox. */
export const inbox = {
  list: () => api<InboxPage>('notify', 'GET', '/inbox', { query: { limit: 20 } }),
  unread: () => api<{ unread: number }>('notify', 'GET', '/inbox/unread-count'),
  read: (id: string) => api<{ id: string; readAt: string }>('notify', 'POST', `/inbox/${id}/read`, { body: {} }),
  readAll: () => api<{ marked: number }>('notify', 'POST', '/inbox/read-all', { body: {} }),
};
