import { Language } from './recipients';
import { TemplateId, TemplateSource } from './templates';

const html = (...lines: string[]) => lines.join('\n');
const behalf = {
  en: '{{#if onBehalfOf}}\n(You receive this as deputy of {{onBehalfOf}}.){{/if}}',
  zh: '{{#if onBehalfOf}}\n（您作为 {{onBehalfOf}} 的代理人收到此通知。）{{/if}}',
};

/**
 * The built-in templates, used until a template is saved through the API (version 1 there
 * replaces these for its language). Every one passes `checkTemplate` (a unit test holds it).
 */
export const DEFAULT_TEMPLATES: Readonly<Record<TemplateId, Readonly<Record<Language, TemplateSource>>>> = {
  'case-acknowledgement': {
    en: {
      subject: 'Case {{caseNumber}} opened: we are on it',
      text: 'Dear {{contactName}},\n\nyour request is now case {{caseNumber}} ({{severity}}), opened {{time openedAt}}.\nSymptom: {{symptom}}\n\nPlease quote the case number when you contact us.',
      html: html(
        '<p>Dear {{contactName}},</p>',
        '<p>your request is now case <b>{{caseNumber}}</b> ({{severity}}), opened {{time openedAt}}.</p>',
        '<p>Symptom: {{symptom}}</p>',
        '<p>Please quote the case number when you contact us.</p>',
      ),
    },
    'zh-CN': {
      subject: '服务请求已受理：{{caseNumber}}',
      text: '{{contactName}} 您好：\n\n您的服务请求已受理，编号 {{caseNumber}}（{{severity}}），受理时间 {{time openedAt}}。\n故障现象：{{symptom}}\n\n联系我们时请提供此编号。',
      html: html(
        '<p>{{contactName}} 您好：</p>',
        '<p>您的服务请求已受理，编号 <b>{{caseNumber}}</b>（{{severity}}），受理时间 {{time openedAt}}。</p>',
        '<p>故障现象：{{symptom}}</p>',
        '<p>联系我们时请提供此编号。</p>',
      ),
    },
  },
  'escalation-rung': {
    en: {
      subject: '[{{severity}}] escalation: {{label}} - case {{caseNumber}}',
      text: `Case {{caseNumber}} is still not past its {{target}} target after {{afterMinutes}} minutes (due {{time dueAt}}).{{#if vendorCase}} Open a case with the upstream vendor now.{{/if}}${behalf.en}`,
      html: '',
    },
    'zh-CN': {
      subject: '[{{severity}}] 升级通知：{{label}} - 案例 {{caseNumber}}',
      text: `案例 {{caseNumber}} 已超过 {{afterMinutes}} 分钟仍未完成{{target}}目标（时限 {{time dueAt}}）。{{#if vendorCase}}请立即到上级供应商开 Case。{{/if}}${behalf.zh}`,
      html: '',
    },
  },
  'sla-warning': {
    en: {
      subject: '[{{severity}}] {{target}} target at risk - case {{caseNumber}}',
      text: `Case {{caseNumber}} breaches its {{target}} target at {{#if breachAt}}{{time breachAt}}{{else}}an undetermined time (paused){{/if}}.${behalf.en}`,
      html: '',
    },
    'zh-CN': {
      subject: '[{{severity}}] {{target}}时限预警 - 案例 {{caseNumber}}',
      text: `案例 {{caseNumber}} 将于 {{#if breachAt}}{{time breachAt}}{{else}}（时钟暂停，时间待定）{{/if}} 超出{{target}}时限。${behalf.zh}`,
      html: '',
    },
  },
  'sla-breach': {
    en: {
      subject: '[{{severity}}] {{target}} target breached - case {{caseNumber}}',
      text: `Case {{caseNumber}} breached its {{target}} target at {{time dueAt}}.${behalf.en}`,
      html: '',
    },
    'zh-CN': {
      subject: '[{{severity}}] {{target}}时限已超 - 案例 {{caseNumber}}',
      text: `案例 {{caseNumber}} 已于 {{time dueAt}} 超出{{target}}时限。${behalf.zh}`,
      html: '',
    },
  },
  'major-case': {
    en: {
      subject: '[{{severity}}] major case {{caseNumber}} for {{customerId}}',
      text: `Case {{caseNumber}} ({{severity}}) went at once to {{expertName}}; emergency handling has started.${behalf.en}`,
      html: '',
    },
    'zh-CN': {
      subject: '[{{severity}}] 重大案例 {{caseNumber}}（客户 {{customerId}}）',
      text: `案例 {{caseNumber}}（{{severity}}）已直接派给 {{expertName}}，紧急处理已启动。${behalf.zh}`,
      html: '',
    },
  },
  'handoff-overdue': {
    en: {
      subject: '[{{severity}}] request from {{customerId}} not taken for 15 minutes',
      text: `Request {{requestId}}, received {{time receivedAt}}, has no hotline engineer yet.${behalf.en}`,
      html: '',
    },
    'zh-CN': {
      subject: '[{{severity}}] 客户 {{customerId}} 的请求 15 分钟无人受理',
      text: `请求 {{requestId}}（{{time receivedAt}} 收到）仍无热线工程师受理。${behalf.zh}`,
      html: '',
    },
  },
  'survey-invitation': {
    en: {
      subject: 'How did we do on case {{caseNumber}}?',
      text: 'Dear {{contactName}},\n\nplease tell us how we handled case {{caseNumber}}: {{link}}\nThe link works once and expires {{time expiresAt}}.',
      html: html(
        '<p>Dear {{contactName}},</p>',
        '<p>please tell us how we handled case <b>{{caseNumber}}</b>: <a href="{{link}}">answer the survey</a>.</p>',
        '<p>The link works once and expires {{time expiresAt}}.</p>',
      ),
    },
    'zh-CN': {
      subject: '服务满意度调查：案例 {{caseNumber}}',
      text: '{{contactName}} 您好：\n\n请评价我们对案例 {{caseNumber}} 的服务：{{link}}\n链接仅可使用一次，{{time expiresAt}} 失效。',
      html: html(
        '<p>{{contactName}} 您好：</p>',
        '<p>请评价我们对案例 <b>{{caseNumber}}</b> 的服务：<a href="{{link}}">填写问卷</a>。</p>',
        '<p>链接仅可使用一次，{{time expiresAt}} 失效。</p>',
      ),
    },
  },
  'survey-callback': {
    en: {
      subject: 'Call back the customer of case {{caseNumber}} by {{time dueAt}}',
      text: `The survey of case {{caseNumber}} ({{customerId}}) scored below 3 on: {{join lowItems}}. Call the customer back by {{time dueAt}}.${behalf.en}`,
      html: '',
    },
    'zh-CN': {
      subject: '请于 {{time dueAt}} 前回访案例 {{caseNumber}} 的客户',
      text: `案例 {{caseNumber}}（客户 {{customerId}}）的满意度调查以下项目低于 3 分：{{join lowItems}}。请于 {{time dueAt}} 前回访客户。${behalf.zh}`,
      html: '',
    },
  },
  'deadline-overdue': {
    en: {
      subject: 'Overdue: {{kind}}{{#if caseNumber}} for case {{caseNumber}}{{/if}}',
      text: `The {{kind}} task {{subjectId}} was due {{time dueAt}} and is not done.${behalf.en}`,
      html: '',
    },
    'zh-CN': {
      subject: '已逾期：{{kind}}{{#if caseNumber}}（案例 {{caseNumber}}）{{/if}}',
      text: `{{kind}} 任务 {{subjectId}} 的时限为 {{time dueAt}}，至今未完成。${behalf.zh}`,
      html: '',
    },
  },
  'maintenance-announcement': {
    en: {
      subject: 'Scheduled {{#if remoteCheck}}remote check{{else}}inspection{{/if}} on {{time scheduledFor}} (contract {{contractId}})',
      text: 'Dear {{recipientName}},\n\nunder contract {{contractId}} we will carry out a {{#if remoteCheck}}remote check of your systems{{else}}preventive inspection{{#if siteId}} at site {{siteId}}{{/if}}{{/if}} on {{time scheduledFor}}.\nPlease tell us if that time does not suit you.{{#if sendBy}}\n\n(Send this announcement by {{sendBy}} to: {{sendTo}}){{/if}}',
      html: '',
    },
    'zh-CN': {
      subject: '{{#if remoteCheck}}远程检查{{else}}巡检{{/if}}通知：{{time scheduledFor}}（合同 {{contractId}}）',
      text: '{{recipientName}} 您好：\n\n根据合同 {{contractId}}，我们将于 {{time scheduledFor}} {{#if remoteCheck}}对您的系统进行远程检查{{else}}{{#if siteId}}在站点 {{siteId}} {{/if}}进行预防性巡检{{/if}}。\n如时间不便，请与我们联系。{{#if sendBy}}\n\n（请以{{sendBy}}方式发送本通知至：{{sendTo}}）{{/if}}',
      html: '',
    },
  },
  'agreement-renewal': {
    en: {
      subject: 'Your maintenance agreement ends on {{endsOn}}: {{daysBefore}} days left to renew',
      text: `Dear {{recipientName}},\n\nthe maintenance agreement{{#if contractId}} for contract {{contractId}}{{/if}} of customer {{customerId}} ends on {{endsOn}}, in {{daysBefore}} days. After that date repairs are charged. Please contact us to renew it.${behalf.en}`,
      html: '',
    },
    'zh-CN': {
      subject: '维护协议将于 {{endsOn}} 到期：距续约还有 {{daysBefore}} 天',
      text: `{{recipientName}} 您好：\n\n客户 {{customerId}} {{#if contractId}}合同 {{contractId}} {{/if}}的维护协议将于 {{endsOn}} 到期（还有 {{daysBefore}} 天），到期后维修将收费。请与我们联系办理续约。${behalf.zh}`,
      html: '',
    },
  },
  'maintenance-record': {
    en: {
      subject: 'Maintenance record {{month}} for contract {{contractId}}',
      text: 'Dear {{recipientName}},\n\nthe maintenance record of {{month}} for contract {{contractId}} is ready: {{documentUrl}}\n{{#each counts}}- {{name}}: {{value}}\n{{/each}}',
      html: html(
        '<p>Dear {{recipientName}},</p>',
        '<p>the maintenance record of {{month}} for contract <b>{{contractId}}</b> is ready: <a href="{{documentUrl}}">download</a>.</p>',
        '<ul>{{#each counts}}<li>{{name}}: {{value}}</li>{{/each}}</ul>',
      ),
    },
    'zh-CN': {
      subject: '合同 {{contractId}} {{month}} 月度维护记录',
      text: '{{recipientName}} 您好：\n\n合同 {{contractId}} {{month}} 的月度维护记录已生成：{{documentUrl}}\n{{#each counts}}- {{name}}：{{value}}\n{{/each}}',
      html: html(
        '<p>{{recipientName}} 您好：</p>',
        '<p>合同 <b>{{contractId}}</b> {{month}} 的月度维护记录已生成：<a href="{{documentUrl}}">下载</a>。</p>',
        '<ul>{{#each counts}}<li>{{name}}：{{value}}</li>{{/each}}</ul>',
      ),
    },
  },
  digest: {
    en: {
      subject: '{{count}} low-severity notices',
      text: '{{#each items}}- {{subject}}: {{text}}\n{{/each}}',
      html: html('<ul>', '{{#each items}}<li><b>{{subject}}</b>: {{text}}</li>{{/each}}', '</ul>'),
    },
    'zh-CN': {
      subject: '{{count}} 条低优先级通知汇总',
      text: '{{#each items}}- {{subject}}：{{text}}\n{{/each}}',
      html: html('<ul>', '{{#each items}}<li><b>{{subject}}</b>：{{text}}</li>{{/each}}', '</ul>'),
    },
  },
};
