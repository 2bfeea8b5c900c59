import { z } from 'zod';
import { Topics, Topic } from './topics';

export const Severity = z.enum(['P1', 'P2', 'P3', 'P4']);
export type Severity = z.infer<typeof Severity>;

export const Channel = z.enum(['phone', 'portal', 'email', 'im', 'voicemail']);
export type Channel = z.infer<typeof Channel>;

const Contact = z.object({
  name: z.string().min(1),
  phone: z.string().optional(),
  email: z.string().optional(),
});

const isoTime = z.string().datetime({ offset: true });

/**
 * Every event type, its topic and its data schema. Handlers infer their payload type from
 * here, and consumers validate incoming data against it before acting.
 */
export const EventCatalog = {
  'intake.request.received.v1': {
    topic: Topics.intakeRequests,
    schema: z.object({
      requestId: z.string().uuid(),
      region: z.string(),
      customerId: z.string(),
      contact: Contact,
      channel: Channel,
      severity: Severity,
      symptom: z.string(),
      errorCodes: z.array(z.string()).default([]),
      productModel: z.string().optional(),
      serialNumber: z.string().optional(),
      receivedAt: isoTime,
    }),
  },
  'case.opened.v1': {
    topic: Topics.caseEvents,
    schema: z.object({
      caseId: z.string().uuid(),
      caseNumber: z.string(),
      requestId: z.string().uuid(),
      region: z.string(),
      customerId: z.string(),
      contact: Contact,
      severity: Severity,
      symptom: z.string(),
      serialNumber: z.string().optional(),
      openedAt: isoTime,
    }),
  },
  'escalation.clock.started.v1': {
    topic: Topics.escalationEvents,
    schema: z.object({
      clockId: z.string().uuid(),
      caseId: z.string().uuid(),
      region: z.string(),
      severity: Severity,
      target: z.string(),
      startedAt: isoTime,
      dueAt: isoTime,
    }),
  },
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
} as const;

export type EventType = keyof typeof EventCatalog;
export type EventData<T extends EventType> = z.infer<(typeof EventCatalog)[T]['schema']>;

export function isKnownEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EventCatalog, type);
}

export function topicOf(type: EventType): Topic {
  return EventCatalog[type].topic;
}

export class InvalidEventDataError extends Error {
  constructor(
    readonly eventType: string,
    readonly issues: string[],
  ) {
    super(`invalid ${eventType} data: ${issues.join('; ')}`);
    this.name = 'InvalidEventDataError';
  }
}

/** Parses (and defaults) an event's data against its catalog schema; throws with the failing paths. */
export function parseEventData<T extends EventType>(type: T, data: unknown): EventData<T> {
  const result = EventCatalog[type].schema.safeParse(data);
  if (!result.success) {
    throw new InvalidEventDataError(
      type,
      result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return result.data as EventData<T>;
}
