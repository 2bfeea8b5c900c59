import { EventEnvelope } from '@aftersales/contracts';

export interface Subscription {
  /** consumer group, e.g. "case.aftersales.intake.requests.v1" — one consumer per subscription */
  group: string;
  topic: string;
  /** resolves only when the effect is committed; a throw means "retry later" */
  handle(envelope: EventEnvelope): Promise<void>;
  /**
   * Optional: several events of the topic, in order, committed together (one transaction instead
   * of one each). A throw means none was committed; the bus then delivers them one at a time.
   */
  handleBatch?(envelopes: EventEnvelope[]): Promise<void>;
  /** retries before the message goes to `${topic}.dlq` (default 5) */
  maxAttempts?: number;
  /** what the bus did with a delivery `handle` failed: try it again later, or give it up to the DLQ */
  onFailure?(outcome: DeliveryFailure): void;
}

export type DeliveryFailure = 'retried' | 'dead_lettered';

export interface EventBus {
  readonly kind: 'kafka' | 'in-process';
  start(): Promise<void>;
  /** publish in order; resolve only when durably accepted. key = envelope.subject (aggregate id) */
  publish(topic: string, envelopes: EventEnvelope[]): Promise<void>;
  subscribe(sub: Subscription): Promise<void>;
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

/** Thrown by a handler for a message that can never succeed (bad data): skip the retries. */
export class PermanentFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentFailure';
  }
}
