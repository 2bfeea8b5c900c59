import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventData, EventEnvelope, EventType } from '@aftersales/contracts';
import { EntityManager } from 'typeorm';

/** An event of a known type, its data parsed by the catalog's schema. */
export type Envelope<T extends EventType> = EventEnvelope<EventData<T>>;

/** What a handler declared with `@OnEvent` gets besides the event: the inbox transaction. */
export interface HandlerContext {
  /** the transaction that records the event id in the inbox; the handler's writes and outbox appends go here */
  readonly manager: EntityManager;
  /**
   * runs after the transaction committed (metrics, in-memory caches); skipped for a duplicate or a
   * rollback. A function property, not a method: handlers destructure it from the context.
   */
  readonly afterCommit: (fn: () => void) => void;
}

export interface OnEventOptions {
  /** the inbox consumer name: the event id is recorded once per consumer */
  consumer: string;
}

export const ON_EVENT_CONSUMER = 'aftersales:consumer';

/**
 * Binds a handler to an event type of `@aftersales/contracts` and to the inbox: the event server
 * validates the data against the type's schema, opens a transaction that records the event id for
 * `consumer`, and calls the handler inside it. A redelivered event never reaches the handler.
 *
 *     @OnEvent('case.opened.v1', { consumer: 'notify.acknowledge-case' })
 *     async onOpened(e: Envelope<'case.opened.v1'>, tx: HandlerContext) { … }
 */
export function OnEvent<T extends EventType>(type: T, opts: OnEventOptions) {
  return (
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<(event: Envelope<T>, tx: HandlerContext) => Promise<void>>,
  ): void => {
    EventPattern(type, { [ON_EVENT_CONSUMER]: opts.consumer })(target, key, descriptor);
    Payload()(target, key, 0);
    Ctx()(target, key, 1);
  };
}
