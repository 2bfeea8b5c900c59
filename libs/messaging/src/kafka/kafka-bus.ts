import {
  Consumer,
  EachMessagePayload,
  IHeaders,
  Kafka,
  KafkaMessage,
  logCreator,
  logLevel,
  Message,
  Partitioners,
  Producer,
} from 'kafkajs';
import { EventEnvelope, toKafkaHeaders, fromKafkaMessage, retryTopic, dlqTopic } from '@aftersales/contracts';
import { EventBus, PermanentFailure, Subscription } from '../bus';
import { kafkaSecurity, KafkaSasl, KafkaTls } from './kafka-security';
import { quietIdleRequestQueues } from './request-queue-idle';

quietIdleRequestQueues();

export interface KafkaBusLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  /** true in production; false against librdkafka's mock cluster (no InitProducerId there) */
  idempotent: boolean;
  logger?: KafkaBusLogger;
  /** delay before retry n (1-based) is `retryBackoffMs[min(n - 1, last)]` */
  retryBackoffMs?: number[];
  /**
   * Consumer tuning; the defaults suit production. Tests shorten `sessionTimeout`: on the mock
   * cluster a member that re-joins a group it just left waits `sessionTimeout - 1 s`.
   */
  consumer?: {
    sessionTimeout?: number;
    heartbeatInterval?: number;
    /** how long a fetch waits for data; also bounds how long close() waits for an idle consumer */
    maxWaitTimeInMs?: number;
    /** where a brand-new group starts; default true so nothing published before the first join is lost */
    fromBeginning?: boolean;
  };
  /** how long publish() keeps retrying a topic that does not exist (yet); default 30 s */
  topicWaitMs?: number;
  /** TLS (CA, client certificate) to the brokers */
  tls?: KafkaTls;
  /** SASL PLAIN or SCRAM to the brokers */
  sasl?: KafkaSasl;
}

/** Headers the bus adds to messages it moves to `.retry` and `.dlq`. */
export const BusHeaders = {
  attempt: 'x-attempt',
  notBefore: 'x-not-before',
  error: 'x-error',
  group: 'x-group',
  originalTopic: 'x-original-topic',
  originalPartition: 'x-original-partition',
  originalOffset: 'x-original-offset',
} as const;

const DEFAULT_BACKOFF_MS = [1000, 5000, 30000, 120000];
const DEFAULT_MAX_ATTEMPTS = 5;
const CLOSE_GRACE_MS = 10_000;

/**
 * EventBus over Kafka (kafkajs), CloudEvents binary mode: `ce_*` headers, value = JSON of `data`,
 * key = `envelope.subject` so one aggregate's events share a partition and stay in order.
 *
 * Delivery is at least once: an offset is committed only after the handler resolved (or the
 * message was handed to `.retry`/`.dlq`), so handlers must be idempotent (the inbox does that).
 * A failing message never blocks its partition: it moves to `${topic}.retry` with a not-before
 * time, a per-subscription retry consumer handles it again when due, and after `maxAttempts`
 * retries (or a PermanentFailure, or headers that are not an envelope) it lands in `${topic}.dlq`
 * with the error in its headers. Topics are never created here: Helm creates them in production,
 * the mock cluster auto-creates them in tests.
 */
export class KafkaBus implements EventBus {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly logger: KafkaBusLogger;
  private readonly backoffMs: number[];
  private readonly consumers: ManagedConsumer[] = [];
  private readonly subscriptions = new Set<string>();
  private producerConnected = false;
  private starting?: Promise<void>;
  private closing?: Promise<void>;
  /** idempotent sends are serialised, see send() */
  private sendChain: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: KafkaBusOptions) {
    this.logger = o.logger ?? { log: console.log, warn: console.warn, error: console.error };
    this.backoffMs = o.retryBackoffMs?.length ? o.retryBackoffMs : DEFAULT_BACKOFF_MS;
    this.kafka = new Kafka({
      clientId: o.clientId,
      brokers: o.brokers,
      ...kafkaSecurity(o),
      logLevel: logLevel.WARN,
      logCreator: kafkajsLogs(this.logger),
    });
    this.producer = this.kafka.producer({
      idempotent: o.idempotent,
      // without idempotence, a retried request could overtake the next one: one in flight keeps order
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Java-compatible murmur2 partitioning (and no kafkajs v2 partitioner warning)
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.producer.on(this.producer.events.CONNECT, () => (this.producerConnected = true));
    this.producer.on(this.producer.events.DISCONNECT, () => (this.producerConnected = false));
  }

  start(): Promise<void> {
    if (this.closing) return Promise.reject(new Error('Kafka bus is closed'));
    this.starting ??= this.producer.connect().catch((e) => {
      this.starting = undefined; // let a later call try again
      throw e;
    });
    return this.starting;
  }

  async publish(topic: string, envelopes: EventEnvelope[]): Promise<void> {
    if (!envelopes.length) return;
    await this.start();
    await this.send(
      topic,
      envelopes.map((e) => ({
        key: e.subject,
        value: JSON.stringify(e.data === undefined ? null : e.data),
        headers: toKafkaHeaders(e),
      })),
    );
  }

  async subscribe(sub: Subscription): Promise<void> {
    const id = `${sub.group}\u0000${sub.topic}`;
    if (this.subscriptions.has(id)) throw new Error(`group ${sub.group} already subscribes to ${sub.topic}`);
    const maxAttempts = sub.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 0) throw new Error(`maxAttempts must be a whole number >= 0`);
    this.subscriptions.add(id);
    await this.start();

    const main = this.consumer(sub.group, sub.topic, (p, c) => this.onMessage(sub, maxAttempts, p, c));
    const retry = this.consumer(`${sub.group}.retry`, retryTopic(sub.topic), (p, c) => this.onRetry(sub, maxAttempts, p, c));
    // both join at the same time: a group's first join alone takes ~3 s (group.initial.rebalance.delay.ms)
    await Promise.all([main.start(), retry.start()]);
  }

  isReady(): Promise<boolean> {
    return Promise.resolve(!this.closing && this.producerConnected && this.consumers.every((c) => c.joined));
  }

  /** SIGTERM path: consumers finish the message in hand and leave their groups, then the producer flushes. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const results = await Promise.allSettled(this.consumers.map((c) => c.stop()));
      for (const r of results) if (r.status === 'rejected') this.logger.warn(`consumer did not stop cleanly: ${describe(r.reason)}`);
      // the idempotent producer retries forever while no broker answers: wait for pending sends, but not forever
      await within(
        CLOSE_GRACE_MS,
        this.sendChain.catch(() => undefined),
      );
      await this.starting?.catch(() => undefined);
      await this.producer.disconnect();
    })();
    return this.closing;
  }

  // ---- consuming ------------------------------------------------------------------------------

  private consumer(groupId: string, topic: string, eachMessage: MessageHandler): ManagedConsumer {
    const c = new ManagedConsumer(this.kafka, groupId, topic, eachMessage, this.logger, {
      sessionTimeout: this.o.consumer?.sessionTimeout ?? 30000,
      heartbeatInterval: this.o.consumer?.heartbeatInterval ?? 3000,
      maxWaitTimeInMs: this.o.consumer?.maxWaitTimeInMs ?? 1000,
      fromBeginning: this.o.consumer?.fromBeginning ?? true,
    });
    this.consumers.push(c);
    return c;
  }

  /** A message of the subscribed topic: handle it, or hand it to `.retry`/`.dlq`; then commit. */
  private async onMessage(sub: Subscription, maxAttempts: number, p: EachMessagePayload, c: ManagedConsumer): Promise<void> {
    const { topic, partition, message } = p;
    const origin = { topic, partition, offset: message.offset };
    let envelope: EventEnvelope;
    try {
      envelope = fromKafkaMessage(message.headers, message.value);
    } catch (e) {
      // garbage can never succeed: straight to the DLQ, never blocking the partition
      this.logger.error(`${sub.group}: ${topic}[${partition}]@${message.offset} is not an event envelope, moved to DLQ: ${describe(e)}`);
      await this.deadLetter(sub, message, origin, 0, e);
      return c.commit(p);
    }
    try {
      await withHeartbeats(
        () => p.heartbeat(),
        c.heartbeatInterval,
        () => sub.handle(envelope),
      );
    } catch (e) {
      await this.failed(sub, maxAttempts, message, origin, 0, e);
    }
    await c.commit(p);
  }

  /** A message of `${topic}.retry`: ours and due → handle again; ours but early → wait; not ours → skip. */
  private async onRetry(sub: Subscription, maxAttempts: number, p: EachMessagePayload, c: ManagedConsumer): Promise<void> {
    const { topic, partition, message } = p;
    const group = header(message.headers, BusHeaders.group);
    if (group !== sub.group) {
      // every group subscribed to the topic shares its retry topic; the owner group handles it
      if (!group) this.logger.warn(`${sub.group}: ${topic}[${partition}]@${message.offset} has no ${BusHeaders.group} header, skipped`);
      return c.commit(p);
    }
    const wait = Number(header(message.headers, BusHeaders.notBefore) ?? 0) - Date.now();
    if (wait > 0) return c.waitAndRedeliver(p, wait);

    const origin = {
      topic: header(message.headers, BusHeaders.originalTopic) ?? sub.topic,
      partition: Number(header(message.headers, BusHeaders.originalPartition) ?? partition),
      offset: header(message.headers, BusHeaders.originalOffset) ?? message.offset,
    };
    const attempt = Math.max(1, Number(header(message.headers, BusHeaders.attempt)) || 1);
    let envelope: EventEnvelope;
    try {
      envelope = fromKafkaMessage(message.headers, message.value);
    } catch (e) {
      await this.deadLetter(sub, message, origin, attempt, e);
      return c.commit(p);
    }
    try {
      await withHeartbeats(
        () => p.heartbeat(),
        c.heartbeatInterval,
        () => sub.handle(envelope),
      );
      this.logger.log(`${sub.group}: ${envelope.type} ${envelope.id} handled on retry ${attempt}`);
    } catch (e) {
      await this.failed(sub, maxAttempts, message, origin, attempt, e);
    }
    await c.commit(p);
  }

  /** `attempt` failed (0 = first delivery): schedule the next retry, or give up to the DLQ. */
  private async failed(sub: Subscription, maxAttempts: number, message: KafkaMessage, origin: Origin, attempt: number, error: unknown) {
    if (error instanceof PermanentFailure || attempt >= maxAttempts) {
      this.logger.error(
        `${sub.group}: ${origin.topic}[${origin.partition}]@${origin.offset} moved to DLQ after ${attempt} retries: ${describe(error)}`,
      );
      return this.deadLetter(sub, message, origin, attempt, error);
    }
    const delay = this.backoffMs[Math.min(attempt, this.backoffMs.length - 1)]!; // backoffMs is never empty
    sub.onFailure?.('retried');
    this.logger.warn(
      `${sub.group}: ${origin.topic}[${origin.partition}]@${origin.offset} failed (attempt ${attempt + 1}), retry in ${delay} ms: ${describe(error)}`,
    );
    await this.send(retryTopic(sub.topic), [
      this.forward(message, sub, origin, {
        [BusHeaders.attempt]: String(attempt + 1),
        [BusHeaders.notBefore]: String(Date.now() + delay),
        [BusHeaders.error]: describe(error),
      }),
    ]);
  }

  private deadLetter(sub: Subscription, message: KafkaMessage, origin: Origin, attempt: number, error: unknown): Promise<void> {
    sub.onFailure?.('dead_lettered');
    return this.send(dlqTopic(sub.topic), [
      this.forward(message, sub, origin, { [BusHeaders.attempt]: String(attempt), [BusHeaders.error]: describe(error) }),
    ]);
  }

  /** The original key, value and headers (byte for byte, so the DLQ can be replayed) plus ours. */
  private forward(message: KafkaMessage, sub: Subscription, origin: Origin, extra: Record<string, string>): Message {
    const headers: IHeaders = {};
    const ours = new Set<string>(Object.values(BusHeaders));
    for (const [k, v] of Object.entries(message.headers ?? {})) if (!ours.has(k) && v !== undefined) headers[k] = v;
    Object.assign(headers, extra, {
      [BusHeaders.group]: sub.group,
      [BusHeaders.originalTopic]: origin.topic,
      [BusHeaders.originalPartition]: String(origin.partition),
      [BusHeaders.originalOffset]: String(origin.offset),
    });
    return { key: message.key, value: message.value, headers };
  }

  // ---- producing ------------------------------------------------------------------------------

  /**
   * acks=all. A topic that does not exist yet (or whose leader is being elected, as right after
   * the mock auto-creates it) is retried until `topicWaitMs`; kafkajs already retries other
   * transient errors itself.
   */
  private send(topic: string, messages: Message[]): Promise<void> {
    const attempt = async () => {
      const deadline = Date.now() + (this.o.topicWaitMs ?? 30000);
      for (let n = 1; ; n++) {
        try {
          await this.producer.send({ topic, messages, acks: -1 });
          return;
        } catch (e) {
          if (!isTopicNotReady(e) || Date.now() > deadline) throw e;
          if (n === 1) this.logger.warn(`topic ${topic} not available yet (${describe(e)}), retrying`);
          await sleep(Math.min(250 * n, 2000));
        }
      }
    };
    if (!this.o.idempotent) return attempt();
    // kafkajs' idempotent producer mis-sequences concurrent send() calls (OUT_OF_ORDER_SEQUENCE_NUMBER,
    // or acknowledged-but-lost batches: kafkajs#598, #1005), so idempotent sends go one at a time
    const next = this.sendChain.then(attempt, attempt);
    this.sendChain = next.catch(() => undefined);
    return next;
  }
}

// ---- one kafkajs consumer ------------------------------------------------------------------------

type MessageHandler = (payload: EachMessagePayload, consumer: ManagedConsumer) => Promise<void>;
type Origin = { topic: string; partition: number; offset: string };

interface ConsumerSettings {
  sessionTimeout: number;
  heartbeatInterval: number;
  maxWaitTimeInMs: number;
  fromBeginning: boolean;
}

/** One kafkajs consumer = one group on one topic, with manual commits and readiness tracking. */
class ManagedConsumer {
  joined = false;
  private readonly consumer: Consumer;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopping?: Promise<void>;

  constructor(
    kafka: Kafka,
    readonly groupId: string,
    readonly topic: string,
    private readonly eachMessage: MessageHandler,
    private readonly logger: KafkaBusLogger,
    private readonly s: ConsumerSettings,
  ) {
    this.consumer = kafka.consumer({
      groupId,
      sessionTimeout: s.sessionTimeout,
      heartbeatInterval: s.heartbeatInterval,
      maxWaitTimeInMs: s.maxWaitTimeInMs,
      allowAutoTopicCreation: false,
      retry: {
        // after its retries kafkajs "crashes" the consumer and, on a retriable error, restarts it
        // itself — unless we are closing: a restart scheduled then would outlive close()
        restartOnFailure: (e) => {
          if (this.stopping) return Promise.resolve(false);
          this.logger.error(`consumer ${groupId} crashed, restarting: ${describe(e)}`);
          return Promise.resolve(true);
        },
      },
    });
    const { GROUP_JOIN, CRASH, STOP, DISCONNECT } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, (e) => {
      this.joined = true;
      const parts = e.payload.memberAssignment[topic] ?? [];
      this.logger.log(`consumer ${groupId} joined in ${e.payload.duration} ms, partitions [${parts.join(',')}] of ${topic}`);
    });
    this.consumer.on(CRASH, (e) => {
      this.joined = false;
      if (this.stopping || e.payload.restart) return;
      // kafkajs gives up on non-retriable errors; a consumer that silently stays down would stall
      // the topic, so start it again ourselves
      this.logger.error(`consumer ${groupId} stopped on ${describe(e.payload.error)}; restarting in 5 s`);
      this.later(5000, () => void this.run().catch((err) => this.logger.error(`consumer ${groupId} restart failed: ${describe(err)}`)));
    });
    this.consumer.on(STOP, () => (this.joined = false));
    this.consumer.on(DISCONNECT, () => (this.joined = false));
  }

  get heartbeatInterval(): number {
    return this.s.heartbeatInterval;
  }

  /**
   * Connects, subscribes and runs; resolves once the group is joined. A topic that does not exist
   * yet does not fail the service: it is logged, start() resolves, and subscribing is retried in the
   * background (readiness stays false until the group is joined).
   */
  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const loop = async () => {
        for (let n = 1; !this.stopping; n++) {
          try {
            await this.run();
            settled = true;
            return resolve();
          } catch (e) {
            if (!isTopicNotReady(e)) {
              if (settled) this.logger.error(`consumer ${this.groupId} could not start: ${describe(e)}`);
              return reject(e instanceof Error ? e : new Error(describe(e)));
            }
            if (n === 1 || n % 10 === 0)
              this.logger.warn(`consumer ${this.groupId}: topic ${this.topic} not available (${describe(e)}), retrying`);
            settled = true;
            resolve();
            await sleep(Math.min(1000 * n, 15000));
          }
        }
        resolve(); // closed before the topic appeared
      };
      void loop();
    });
  }

  private async run(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: this.s.fromBeginning });
    await this.consumer.run({
      autoCommit: false,
      // one partition at a time: messages of a key are handled strictly in order
      partitionsConsumedConcurrently: 1,
      eachMessage: (p) => this.eachMessage(p, this),
    });
  }

  /** Commits offset + 1 of the message: everything up to it is done. */
  commit(p: EachMessagePayload): Promise<void> {
    return this.consumer.commitOffsets([{ topic: p.topic, partition: p.partition, offset: (BigInt(p.message.offset) + 1n).toString() }]);
  }

  /**
   * Not due yet: pause the partition and rewind it to this message, then resume when due. The
   * consumer keeps fetching (and heartbeating) its other partitions meanwhile, so a long backoff
   * never costs the group its session. The offset is not committed, so a rebalance or restart
   * redelivers the message.
   */
  waitAndRedeliver(p: EachMessagePayload, waitMs: number): void {
    const resume = p.pause();
    this.consumer.seek({ topic: p.topic, partition: p.partition, offset: p.message.offset });
    this.later(waitMs, resume);
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
      await this.consumer.disconnect();
      this.joined = false;
    })();
    return this.stopping;
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopping) fn();
    }, ms);
    this.timers.add(t);
  }
}

// ---- helpers --------------------------------------------------------------------------------------

/** Keeps the group session alive while a slow handler runs (kafkajs only heartbeats between messages). */
async function withHeartbeats<T>(heartbeat: () => Promise<void>, intervalMs: number, fn: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => {
    // a failure here (e.g. a rebalance) surfaces again at commit time, where it counts
    heartbeat().catch(() => undefined);
  }, intervalMs);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  const v = Array.isArray(raw) ? raw[0] : raw;
  return v === undefined ? undefined : v.toString();
}

function describe(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

const TOPIC_NOT_READY = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION']);

/** True if the error (or one it wraps) says the topic does not exist or has no leader yet. */
function isTopicNotReady(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 5) return false;
  const err = e as { type?: string; name?: string; cause?: unknown; originalError?: unknown; errors?: unknown[] };
  if ((err.type && TOPIC_NOT_READY.has(err.type)) || err.name === 'KafkaJSTopicMetadataNotLoaded') return true;
  return [err.cause, err.originalError, ...(Array.isArray(err.errors) ? err.errors : [])].some((c) => isTopicNotReady(c, depth + 1));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Waits for `promise`, at most `ms` (without a timer left behind to keep the process alive). */
async function within(ms: number, promise: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

/** Routes kafkajs' own warnings and errors to the service logger. */
function kafkajsLogs(logger: KafkaBusLogger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, ...extra } = log;
      const detail = ['groupId', 'error', 'topic'].filter((k) => extra[k] !== undefined).map((k) => `${k}=${String(extra[k])}`);
      const text = `kafkajs ${namespace}: ${message}${detail.length ? ` (${detail.join(', ')})` : ''}`;
      if (level === logLevel.ERROR || level === logLevel.NOTHING) logger.error(text);
      else if (level === logLevel.WARN) logger.warn(text);
      else logger.log(text);
    };
}
