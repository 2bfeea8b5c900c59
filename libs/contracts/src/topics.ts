/** Every Kafka topic of the platform, in one place. One topic per aggregate stream, keyed by aggregate id. */
export const Topics = {
  intakeRequests: 'aftersales.intake.requests.v1',
  caseEvents: 'aftersales.case.events.v1',
  escalationEvents: 'aftersales.escalation.events.v1',
  sparesEvents: 'aftersales.spares.events.v1',
  surveyEvents: 'aftersales.survey.events.v1',
  notifyEvents: 'aftersales.notify.events.v1',
  interregionRequests: 'aftersales.interregion.requests.v1',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);

/** Companion topics: failed messages wait in `.retry`, give up in `.dlq` (with the error in headers). */
export const retryTopic = (topic: string): string => `${topic}.retry`;
export const dlqTopic = (topic: string): string => `${topic}.dlq`;
