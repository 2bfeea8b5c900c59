import { api, newIdempotencyKey } from './http';
import type {
  AllowedTransitions,
  Article,
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
