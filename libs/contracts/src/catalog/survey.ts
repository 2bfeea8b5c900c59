import { z } from 'zod';
import { Topics } from '../topics';
import { Contact, isoTime, Severity } from './common';

/** Satisfaction items scored 1–5 (domain §8). */
export const SurveyItem = z.enum(['responseTime', 'technicalSkill', 'attitude', 'outcome']);
export type SurveyItem = z.infer<typeof SurveyItem>;

export const Language = z.enum(['zh-CN', 'en']);

/** Events published by the survey service on `aftersales.survey.events.v1`, keyed by case id. */
export const surveyEvents = {
  /** A survey is ready for the customer: notify sends the one-time answer link. */
  'survey.invitation.requested.v1': {
    topic: Topics.surveyEvents,
    schema: z.object({
      surveyId: z.string().uuid(),
      caseId: z.string().uuid(),
      caseNumber: z.string(),
      region: z.string(),
      customerId: z.string(),
      contact: z.object({ name: z.string(), email: z.string().optional(), phone: z.string().optional() }),
      language: Language.default('zh-CN'),
      /** the one-time answer form */
      link: z.string().url(),
      expiresAt: isoTime,
    }),
  },
  'survey.answered.v1': {
    topic: Topics.surveyEvents,
    schema: z.object({
      surveyId: z.string().uuid(),
      caseId: z.string().uuid(),
      region: z.string(),
      scores: z.record(SurveyItem, z.number().int().min(1).max(5)),
      smooth: z.boolean().optional(),
      answeredAt: isoTime,
      /** the one-time link, an agent's phone call, or the customer portal (a customer token) */
      via: z.enum(['link', 'phone', 'portal']),
    }),
  },
  /** Any item below 3: the region's service delivery manager must call the customer back by `dueAt`. */
  'survey.callback.requested.v1': {
    topic: Topics.surveyEvents,
    schema: z.object({
      callbackId: z.string().uuid(),
      surveyId: z.string().uuid(),
      caseId: z.string().uuid(),
      caseNumber: z.string(),
      region: z.string(),
      customerId: z.string(),
      lowItems: z.array(SurveyItem).min(1),
      dueAt: isoTime,
    }),
  },
  /** The callback was made (or given up): escalation stops its deadline. */
  'survey.callback.closed.v1': {
    topic: Topics.surveyEvents,
    schema: z.object({
      callbackId: z.string().uuid(),
      caseId: z.string().uuid(),
      region: z.string(),
      outcome: z.enum(['reached', 'unreachable', 'complaint-opened']),
      closedAt: isoTime,
    }),
  },
  /**
   * The callback turned into a complaint (domain §8): the case service opens a complaint case about
   * `caseId` through its complaint path; the complaint's request id is the callback id.
   */
  'survey.complaint.requested.v1': {
    topic: Topics.surveyEvents,
    schema: z.object({
      callbackId: z.string().uuid(),
      surveyId: z.string().uuid(),
      caseId: z.string().uuid(),
      caseNumber: z.string(),
      region: z.string(),
      customerId: z.string(),
      contact: Contact,
      severity: Severity.default('P3'),
      /** what the customer complains about, as the manager recorded it */
      symptom: z.string().min(1),
      requestedAt: isoTime,
    }),
  },
} as const;
