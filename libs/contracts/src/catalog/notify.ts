import { z } from 'zod';
import { Topics } from '../topics';
import { isoTime } from './common';

/** What every delivery event names: the log row, and the case it is about (the event's key). */
const deliveryRef = {
  notificationId: z.string().uuid(),
  caseId: z.string().uuid().optional(),
  region: z.string(),
  template: z.string(),
  channel: z.string(),
  /** 1 for the first try; a resend after a crash or an expired lease counts as an attempt too */
  attempt: z.number().int().min(1),
};

/** Events published by the notify service on `aftersales.notify.events.v1`, keyed by the case id (else the notification id). */
export const notifyEvents = {
  /** A delivery was written to the log (queued, or at once for in-app). */
  'notify.notification.recorded.v1': {
    topic: Topics.notifyEvents,
    schema: z.object({
      notificationId: z.string().uuid(),
      caseId: z.string().uuid().optional(),
      region: z.string(),
      template: z.string(),
      channel: z.string(),
      recipient: z.string(),
    }),
  },
  /** The channel's provider accepted the message (in-app rows are in the inbox when written: only `recorded`). */
  'notify.delivery.sent.v1': {
    topic: Topics.notifyEvents,
    schema: z.object({
      ...deliveryRef,
      /** sent again after a crash or lease expiry between the provider's accept and our commit: may be a duplicate with the same Message-ID */
      resend: z.boolean(),
      /** e-mail Message-ID or the provider's message id */
      messageId: z.string().optional(),
      sentAt: isoTime,
    }),
  },
  /** An attempt failed: retried at `retryAt`, or dead (no more tries). */
  'notify.delivery.failed.v1': {
    topic: Topics.notifyEvents,
    schema: z.object({
      ...deliveryRef,
      dead: z.boolean(),
      /** the provider's answer (status line, error) */
      answer: z.string(),
      retryAt: isoTime.nullable(),
      failedAt: isoTime,
    }),
  },
} as const;
