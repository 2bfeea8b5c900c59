import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { EventEnvelope, isKnownEventType, parseEventData, topicOf, InvalidEventDataError } from '@aftersales/contracts';
import { lastValueFrom } from 'rxjs';
import { DeliveryFailure, EventBus, PermanentFailure } from './bus';
import { HandlerOutcome, HandlerSpy } from './handler-spy';
import { Inbox, InboxDelivery, InboxOutcome } from './inbox';
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
  /**
   * Cross-region help (architecture §9): an `aftersales.interregion.*` topic is also read as each
   * peer's MirrorMaker 2 copy (`<peer>.<topic>`), in a consumer group of this region, so two
   * regions' services on one cluster each see every request.
   */
  interregion?: { region: string; peers: string[] };
}

const INTERREGION = 'aftersales.interregion.';

/**
 * Nest transport over our EventBus (Kafka or in-process). Handlers are declared with
 * `@OnEvent('<event type>', { consumer })` (or a bare `@EventPattern`); the strategy subscribes once per topic with its own consumer
 * group `<service>.<topic>` (one consumer per subscription, so a slow topic never blocks another),
 * validates the data against the contract, and lets a handler's error propagate so the bus
 * retries and dead-letters it instead of committing it silently.
 */
export class EventBusServer extends Server implements CustomTransportStrategy {
  readonly spy: HandlerSpy;
  /** every handler of an event type, each run in its own inbox transaction */
  private readonly chains = new Map<string, MessageHandler[]>();

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
    for (const [pattern, head] of this.messageHandlers) {
      if (!isKnownEventType(pattern)) throw new Error(`@EventPattern('${pattern}') is not an event type of @aftersales/contracts`);
      this.chains.set(pattern, unchain(head));
      const topic = topicOf(pattern);
      topics.set(topic, [...(topics.get(topic) ?? []), pattern]);
    }
    this.opts.onTopics?.([...topics.keys()]);
    try {
      // in parallel: a group join takes seconds, and each topic has its own consumer
      await Promise.all(
        [...topics.keys()].flatMap((topic) =>
          this.readAs(topic).map(({ read, group }) =>
            this.bus.subscribe({
              group,
              topic: read,
              handle: (e) => this.dispatch(topic, e),
              handleBatch: (es) => this.handleBatch(topic, es),
              onFailure: (outcome) => this.opts.onDeliveryFailure?.(topic, outcome),
            }),
          ),
        ),
      );
      callback();
    } catch (e) {
      callback(e);
    }
  }

  /** The topics read for a catalog topic and their consumer groups (the interregion one also as its peers' mirrors). */
  private readAs(topic: string): Array<{ read: string; group: string }> {
    const ir = this.opts.interregion;
    if (!ir || !topic.startsWith(INTERREGION)) return [{ read: topic, group: `${this.service}.${topic}` }];
    return [topic, ...ir.peers.map((peer) => `${peer}.${topic}`)].map((read) => ({ read, group: `${this.service}.${ir.region}.${read}` }));
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
    const handlers = this.chains.get(envelope.type);
    if (!handlers || !isKnownEventType(envelope.type)) {
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
    try {
      // in order, each committed on its own: a retry after a later handler failed finds the
      // earlier ones in the inbox and skips them
      const outcomes: HandlerOutcome[] = [];
      for (const handler of handlers) outcomes.push(await this.runOne(handler, event));
      done(outcomes.includes('handled') ? 'handled' : 'duplicate');
    } catch (e) {
      done('failed', e);
      throw e;
    }
  }

  private async runOne(handler: MessageHandler, event: EventEnvelope): Promise<'handled' | 'duplicate'> {
    const consumer = handler.extras?.[ON_EVENT_CONSUMER] as string | undefined;
    if (consumer === undefined) {
      await this.invoke(handler, event);
      return 'handled';
    }
    if (!this.opts.inbox) throw new Error(`@OnEvent('${event.type}') needs the service's inbox`);
    const committed: Array<() => void> = [];
    const outcome = await this.opts.inbox.handleOnce(consumer, event, (manager) =>
      this.invoke(handler, event, { manager, afterCommit: (fn) => void committed.push(fn) }),
    );
    for (const fn of committed) fn();
    return outcome;
  }

  private async invoke(handler: MessageHandler, event: EventEnvelope, ctx?: HandlerContext): Promise<void> {
    await lastValueFrom(this.transformToObservable(await handler(event, ctx)), { defaultValue: undefined });
  }

  /**
   * A run of one lane's events, every handler's inbox row and effect in one transaction: under load
   * that is one commit per consumer and batch instead of one per event. Anything unusual (bad data,
   * a handler without an inbox consumer, a failing handler) throws before or instead of committing,
   * and the bus falls back to one event at a time, where retries and dead letters are decided.
   */
  private async handleBatch(topic: string, envelopes: EventEnvelope[]): Promise<void> {
    const inbox = this.opts.inbox;
    if (!inbox) throw new Error('no inbox: events go one at a time');
    const started = process.hrtime.bigint();
    const deliveries: InboxDelivery[] = [];
    const owner: number[] = [];
    const committed: Array<() => void> = [];
    const afterCommit = (fn: () => void) => void committed.push(fn);
    const span = { service: this.service, busKind: this.bus.kind };
    envelopes.forEach((envelope, i) => {
      const handlers = this.chains.get(envelope.type);
      if (!handlers || !isKnownEventType(envelope.type)) return;
      const event = { ...envelope, data: parseEventData(envelope.type, envelope.data) };
      for (const handler of handlers) {
        const consumer = handler.extras?.[ON_EVENT_CONSUMER] as string | undefined;
        if (consumer === undefined) throw new Error(`${envelope.type} has a handler outside the inbox`);
        owner.push(i);
        deliveries.push({
          consumer,
          envelope: event,
          effect: (manager) => inProcessSpan(topic, envelope, span, () => this.invoke(handler, event, { manager, afterCommit })),
        });
      }
    });
    const outcomes = deliveries.length ? await inbox.handleAllOnce(deliveries) : [];
    for (const fn of committed) fn();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9 / envelopes.length;
    envelopes.forEach((envelope, i) => {
      const mine: InboxOutcome[] = outcomes.filter((_, k) => owner[k] === i);
      const outcome: HandlerOutcome = mine.length === 0 ? 'ignored' : mine.includes('handled') ? 'handled' : 'duplicate';
      this.opts.onOutcome?.(topic, outcome, seconds);
      this.spy.record(envelope, topic, outcome);
    });
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

/**
 * Nest links every handler of one event type behind the first and runs them together with the
 * first one's arguments (one transaction, one inbox consumer). Taken apart here, so each handler
 * runs with its own consumer name in its own transaction.
 */
function unchain(head: MessageHandler): MessageHandler[] {
  const chain: MessageHandler[] = [];
  for (let h: MessageHandler | undefined = head; h;) {
    const next: MessageHandler | undefined = h.next;
    h.next = undefined;
    chain.push(h);
    h = next;
  }
  return chain;
}
