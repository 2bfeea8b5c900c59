import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { EventEnvelope, isKnownEventType, parseEventData, topicOf, InvalidEventDataError } from '@aftersales/contracts';
import { lastValueFrom } from 'rxjs';
import { DeliveryFailure, EventBus, PermanentFailure } from './bus';
import { HandlerOutcome, HandlerSpy } from './handler-spy';
import { Inbox } from './inbox';
import { HandlerContext, ON_EVENT_CONSUMER } from './on-event';
import { inProcessSpan } from './messaging-spans';

export interface EventBusServerOptions {
  /** handlers declared with `@OnEvent` run inside this inbox's transaction */
  inbox?: Inbox;
  /** every outcome, for metrics */
  onOutcome?: (topic: string, outcome: HandlerOutcome, seconds: number) => void;
  /** a failed delivery the bus retries or dead-letters, for metrics */
  onDeliveryFailure?: (topic: string, outcome: DeliveryFailure) => void;
  /** the topics subscribed, once known (metrics create their series at 0) */
  onTopics?: (topics: string[]) => void;
  spy?: HandlerSpy;
}

/**
 * Nest transport over our EventBus (Kafka or in-process). Handlers are declared with
 * `@OnEvent('<event type>', { consumer })` (or a bare `@EventPattern`); the strategy subscribes once per topic with its own consumer
 * group `<service>.<topic>` (one consumer per subscription, so a slow topic never blocks another),
 * validates the data against the contract, and lets a handler's error propagate so the bus
 * retries and dead-letters it instead of committing it silently.
 */
export class EventBusServer extends Server implements CustomTransportStrategy {
  readonly spy: HandlerSpy;

  constructor(
    private readonly bus: EventBus,
    private readonly service: string,
    private readonly opts: EventBusServerOptions = {},
  ) {
    super();
    this.spy = opts.spy ?? new HandlerSpy();
  }

  async listen(callback: (...optionalParams: unknown[]) => unknown): Promise<void> {
    const topics = new Map<string, string[]>();
    for (const pattern of this.messageHandlers.keys()) {
      if (!isKnownEventType(pattern)) throw new Error(`@EventPattern('${pattern}') is not an event type of @aftersales/contracts`);
      const topic = topicOf(pattern);
      topics.set(topic, [...(topics.get(topic) ?? []), pattern]);
    }
    this.opts.onTopics?.([...topics.keys()]);
    try {
      // in parallel: a group join takes seconds, and each topic has its own consumer
      await Promise.all(
        [...topics.keys()].map((topic) =>
          this.bus.subscribe({
            group: `${this.service}.${topic}`,
            topic,
            handle: (e) => this.dispatch(topic, e),
            onFailure: (outcome) => this.opts.onDeliveryFailure?.(topic, outcome),
          }),
        ),
      );
      callback();
    } catch (e) {
      callback(e);
    }
  }

  /** Runs the handler in a consumer span, child of the event's producer span (traceparent), naming this service. */
  private dispatch(topic: string, envelope: EventEnvelope): Promise<void> {
    return inProcessSpan(topic, envelope, { service: this.service, busKind: this.bus.kind }, () => this.handle(topic, envelope));
  }

  private async handle(topic: string, envelope: EventEnvelope): Promise<void> {
    const started = process.hrtime.bigint();
    const done = (outcome: HandlerOutcome, error?: unknown) => {
      this.opts.onOutcome?.(topic, outcome, Number(process.hrtime.bigint() - started) / 1e9);
      this.spy.record(envelope, topic, outcome, error);
    };
    const handler = this.getHandlerByPattern(envelope.type);
    if (!handler || !isKnownEventType(envelope.type)) {
      // another consumer's event type on a shared topic: nothing to do here
      done('ignored');
      return;
    }
    let data: unknown;
    try {
      data = parseEventData(envelope.type, envelope.data);
    } catch (e) {
      done('failed', e);
      if (e instanceof InvalidEventDataError) throw new PermanentFailure(e.message, { cause: e });
      throw e;
    }
    const event = { ...envelope, data };
    const invoke = async (ctx?: HandlerContext) =>
      lastValueFrom(this.transformToObservable(await handler(event, ctx)), { defaultValue: undefined });
    try {
      const consumer = handler.extras?.[ON_EVENT_CONSUMER] as string | undefined;
      if (consumer === undefined) {
        await invoke();
        done('handled');
        return;
      }
      if (!this.opts.inbox) throw new Error(`@OnEvent('${envelope.type}') needs the service's inbox`);
      const committed: Array<() => void> = [];
      const outcome = await this.opts.inbox.handleOnce(consumer, envelope, (manager) =>
        invoke({ manager, afterCommit: (fn) => void committed.push(fn) }),
      );
      for (const fn of committed) fn();
      done(outcome);
    } catch (e) {
      done('failed', e);
      throw e;
    }
  }

  on(): void {
    throw new Error('EventBusServer does not expose transport events');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }

  async close(): Promise<void> {
    // the bus is shared with the outbox relay and closed by the service's shutdown hook
  }
}
