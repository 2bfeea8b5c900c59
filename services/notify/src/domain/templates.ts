import { formatLocalMinute } from '@aftersales/calendar';
import Handlebars from 'handlebars';
import { Language } from './recipients';
import { checkTemplate, Scope, TemplateProblem } from './template-check';

/** One template per notice notify sends (and the digest that merges several). */
export const TEMPLATE_IDS = [
  'case-acknowledgement',
  'escalation-rung',
  'sla-warning',
  'sla-breach',
  'major-case',
  'handoff-overdue',
  'survey-invitation',
  'survey-callback',
  'deadline-overdue',
  'maintenance-announcement',
  'agreement-renewal',
  'maintenance-record',
  'digest',
] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];
export const LANGUAGES: readonly Language[] = ['zh-CN', 'en'];

export interface TemplateSource {
  subject: string;
  /** plain text: the e-mail's text part, the SMS and IM body (never HTML-escaped) */
  text: string;
  /** the e-mail's HTML part (values auto-escaped); empty: the text part, escaped, in paragraphs */
  html: string;
}

export interface Rendered {
  subject: string;
  text: string;
  html: string;
}

const v = 'value' as const;
/** every template may greet its recipient */
const common = { recipientName: v, region: v };
const caseRef = { caseId: v, caseNumber: v, severity: v };

/** The variables each template's event offers (what `checkTemplate` accepts). */
export const TEMPLATE_SCOPES: Readonly<Record<TemplateId, Scope>> = {
  'case-acknowledgement': { ...common, ...caseRef, customerId: v, contactName: v, symptom: v, openedAt: v },
  'escalation-rung': {
    ...common,
    ...caseRef,
    label: v,
    target: v,
    rungIndex: v,
    afterMinutes: v,
    dueAt: v,
    firedAt: v,
    vendorCase: v,
    onBehalfOf: v,
  },
  'sla-warning': { ...common, ...caseRef, target: v, breachAt: v, firedAt: v, onBehalfOf: v },
  'sla-breach': { ...common, ...caseRef, target: v, dueAt: v, firedAt: v, onBehalfOf: v },
  'major-case': { ...common, ...caseRef, customerId: v, expertId: v, expertName: v, at: v, onBehalfOf: v },
  'handoff-overdue': { ...common, requestId: v, customerId: v, severity: v, receivedAt: v, overdueAt: v, onBehalfOf: v },
  'survey-invitation': { ...common, caseId: v, caseNumber: v, customerId: v, contactName: v, link: v, expiresAt: v },
  'survey-callback': { ...common, caseId: v, caseNumber: v, customerId: v, lowItems: { list: v }, dueAt: v, onBehalfOf: v },
  'deadline-overdue': { ...common, caseId: v, caseNumber: v, kind: v, subjectId: v, dueAt: v, firedAt: v, onBehalfOf: v },
  'maintenance-announcement': {
    ...common,
    contractId: v,
    customerId: v,
    kind: v,
    remoteCheck: v,
    siteId: v,
    scheduledFor: v,
    sendBy: v,
    sendTo: v,
    onBehalfOf: v,
  },
  'agreement-renewal': {
    ...common,
    agreementId: v,
    contractId: v,
    customerId: v,
    endsOn: v,
    daysBefore: v,
    onBehalfOf: v,
  },
  'maintenance-record': {
    ...common,
    recordId: v,
    contractId: v,
    customerId: v,
    month: v,
    documentUrl: v,
    counts: { list: { fields: { name: v, value: v } } },
  },
  digest: {
    ...common,
    count: v,
    items: { list: { fields: { subject: v, text: v, severity: v, caseNumber: v, at: v } } },
  },
};

const CASE = '2b7c1e4a-5d0f-4c7e-9a51-3f8e2d6b1c90';
const at = '2026-03-02T03:00:00.000Z';
/** Sample data for previews (`POST /templates/{id}/preview`). */
export const TEMPLATE_SAMPLES: Readonly<Record<TemplateId, Record<string, unknown>>> = {
  'case-acknowledgement': {
    recipientName: 'Li Wei',
    region: 'north',
    caseId: CASE,
    caseNumber: 'NORTH-2026-000042',
    severity: 'P2',
    customerId: 'C-100',
    contactName: 'Li Wei',
    symptom: 'storage array offline <E42>',
    openedAt: at,
  },
  'escalation-rung': {
    recipientName: 'Wang Fang',
    region: 'north',
    caseId: CASE,
    caseNumber: 'NORTH-2026-000042',
    severity: 'P1',
    label: '10min: Manager1 / senior engineer (Manager1/高级工程师)',
    target: 'diagnosis',
    rungIndex: 0,
    afterMinutes: 10,
    dueAt: at,
    firedAt: at,
    vendorCase: false,
    onBehalfOf: '',
  },
  'sla-warning': {
    recipientName: 'Zhao Min',
    region: 'north',
    caseId: CASE,
    caseNumber: 'NORTH-2026-000042',
    severity: 'P3',
    target: 'resolution',
    breachAt: at,
    firedAt: at,
    onBehalfOf: '',
  },
  'sla-breach': {
    recipientName: 'Zhao Min',
    region: 'north',
    caseId: CASE,
    caseNumber: 'NORTH-2026-000042',
    severity: 'P2',
    target: 'diagnosis',
    dueAt: at,
    firedAt: at,
    onBehalfOf: '',
  },
  'major-case': {
    recipientName: 'Chen Jie',
    region: 'north',
    caseId: CASE,
    caseNumber: 'NORTH-2026-000042',
    severity: 'P1',
    customerId: 'C-100',
    expertId: 'E-7',
    expertName: 'Wang Expert',
    at,
    onBehalfOf: '',
  },
  'handoff-overdue': {
    recipientName: 'Hotline',
    region: 'north',
    requestId: '7d1f0c2e-8b3a-4e5f-9c6d-1a2b3c4d5e6f',
    customerId: 'C-100',
    severity: 'P2',
    receivedAt: at,
    overdueAt: at,
    onBehalfOf: '',
  },
  'survey-invitation': {
    recipientName: 'Li Wei',
    region: 'north',
    caseId: CASE,
    caseNumber: 'NORTH-2026-000042',
    customerId: 'C-100',
    contactName: 'Li Wei',
    link: 'https://survey.example.com/a/1f2e3d4c',
    expiresAt: at,
  },
  'survey-callback': {
    recipientName: 'Sun Li',
    region: 'north',
    caseId: CASE,
    caseNumber: 'NORTH-2026-000042',
    customerId: 'C-100',
    lowItems: ['responseTime', 'attitude'],
    dueAt: at,
    onBehalfOf: '',
  },
  'deadline-overdue': {
    recipientName: 'Sun Li',
    region: 'north',
    caseId: CASE,
    caseNumber: 'NORTH-2026-000042',
    kind: 'survey-callback',
    subjectId: '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b',
    dueAt: at,
    firedAt: at,
    onBehalfOf: '',
  },
  'maintenance-announcement': {
    recipientName: 'Li Wei',
    region: 'north',
    contractId: 'K-2026-007',
    customerId: 'C-100',
    kind: 'inspection',
    remoteCheck: false,
    siteId: 'beijing-dc1',
    scheduledFor: at,
    sendBy: '',
    sendTo: '',
    onBehalfOf: '',
  },
  'agreement-renewal': {
    recipientName: 'Li Wei',
    region: 'north',
    agreementId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    contractId: 'K-2026-007',
    customerId: 'C-100',
    endsOn: '2026-06-30',
    daysBefore: 30,
    onBehalfOf: '',
  },
  'maintenance-record': {
    recipientName: 'Li Wei',
    region: 'north',
    recordId: '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b',
    contractId: 'K-2026-007',
    customerId: 'C-100',
    month: '2026-02',
    documentUrl: '/maintenance-records/0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b?format=csv',
    counts: [
      { name: 'casesOpened', value: 3 },
      { name: 'inspections', value: 1 },
    ],
  },
  digest: {
    recipientName: 'Zhao Min',
    region: 'north',
    count: 2,
    items: [
      {
        subject: '[P3] resolution target at risk',
        text: 'NORTH-2026-000042 breaches at 18:00.',
        severity: 'P3',
        caseNumber: 'NORTH-2026-000042',
        at,
      },
      {
        subject: '[P4] resolution target at risk',
        text: 'NORTH-2026-000043 breaches at 19:00.',
        severity: 'P4',
        caseNumber: 'NORTH-2026-000043',
        at,
      },
    ],
  },
};

export function isTemplateId(id: string): id is TemplateId {
  return (TEMPLATE_IDS as readonly string[]).includes(id);
}

/** Problems of each part of a template, `field` naming the part. */
export function templateProblems(id: TemplateId, t: TemplateSource): Array<TemplateProblem & { field: keyof TemplateSource }> {
  const scope = TEMPLATE_SCOPES[id];
  return (['subject', 'text', 'html'] as const).flatMap((field) => checkTemplate(t[field], scope).map((p) => ({ field, ...p })));
}

export interface RenderOptions {
  language: Language;
  timeZone: string;
}

const compiled = new Map<string, HandlebarsTemplateDelegate>();
const engine = Handlebars.create();

/** `{{time dueAt}}`: an ISO instant as local `YYYY-MM-DD HH:MM` in the configured time zone, with its offset. */
engine.registerHelper('time', function (this: unknown, value: unknown, options: { data?: { root?: { __render?: RenderOptions } } }) {
  if (typeof value !== 'string' && !(value instanceof Date)) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return localTime(d, options?.data?.root?.__render?.timeZone ?? 'UTC');
});
engine.registerHelper('join', (value: unknown) => (Array.isArray(value) ? value.join(', ') : scalarText(value)));

/** a scalar as text; a record (which `join` is never checked to take) renders empty rather than as "[object Object]" */
function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

function compile(source: string, escape: boolean): HandlebarsTemplateDelegate {
  const key = `${escape ? 'h' : 't'}:${source}`;
  let fn = compiled.get(key);
  if (!fn) {
    fn = engine.compile(source, { noEscape: !escape, knownHelpers: { time: true, join: true } });
    if (compiled.size > 2000) compiled.clear();
    compiled.set(key, fn);
  }
  return fn;
}

/** Renders a (checked) template: the HTML part with every value escaped, subject and text as they are. */
export function renderTemplate(t: TemplateSource, data: Record<string, unknown>, o: RenderOptions): Rendered {
  const root = { ...data, __render: o };
  const text = compile(t.text, false)(root).trim();
  const html = t.html.trim() ? compile(t.html, true)(root) : textToHtml(text);
  return { subject: compile(t.subject, false)(root).replace(/\s+/g, ' ').trim(), text, html };
}

/** The text part as HTML paragraphs (for templates without an HTML part). */
export function textToHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${Handlebars.escapeExpression(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

/** An instant to the minute in `timeZone`, with the zone's short name: `2026-05-04 09:00 GMT+8`. */
export const localTime = formatLocalMinute;
