import { z } from 'zod';
import { Topic } from './topics';

import { caseEvents } from './catalog/case';
import { escalationEvents } from './catalog/escalation';
import { intakeEvents } from './catalog/intake';
import { intakeAssetEvents } from './catalog/intake-assets';
import { interregionEvents } from './catalog/interregion';
import { notifyEvents } from './catalog/notify';
import { sparesEvents } from './catalog/spares';
import { surveyEvents } from './catalog/survey';

export * from './catalog/common';
export { CaseStatus, CaseType, ChecklistItem, DowntimeCause } from './catalog/case';
export { SurveyItem } from './catalog/survey';
export { DeadlineKind } from './catalog/escalation';
export { AnnouncementChannel, MaintenanceKind } from './catalog/intake';
export { PartClass } from './catalog/spares';
export { HelpOutcome } from './catalog/interregion';

/**
 * Every event type, its topic and its data schema (one file per producing service under
 * catalog/). Handlers infer their payload type from here, and consumers validate incoming data
 * against it before acting.
 */
export const EventCatalog = {
  ...intakeEvents,
  ...intakeAssetEvents,
  ...caseEvents,
  ...escalationEvents,
  ...notifyEvents,
  ...sparesEvents,
  ...surveyEvents,
  ...interregionEvents,
} as const;

export type EventType = keyof typeof EventCatalog;
export type EventData<T extends EventType> = z.infer<(typeof EventCatalog)[T]['schema']>;
/** What a producer writes: fields with defaults may be left out (the outbox parses and fills them). */
export type EventInput<T extends EventType> = z.input<(typeof EventCatalog)[T]['schema']>;

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
  return result.data;
}
