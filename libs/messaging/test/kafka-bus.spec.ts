import { randomUUID } from 'node:crypto';
import { Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { EventEnvelope, dlqTopic, newEnvelope, retryTopic, toKafkaHeaders } from '@aftersales/contracts';
import { BusHeaders, KafkaBus, PermanentFailure, Subscription } from '@aftersales/messaging';
import { resolveTestKafka, TestKafka, waitFor } from '@aftersales/testing';

/**
 * (It lives in messaging-integration, not next to kafka-bus.ts: @aftersales/testing depends on
 * @aftersales/messaging, so a spec inside the messaging project may not import it.)
 *
 * KafkaBus over the real Kafka wire protocol: librdkafka's mock cluster (via kcat), or the cluster
 * in KAFKA_BROKERS. Every test uses its own topics, groups and buses, so the tests run side by side
 * (each spends most of its time waiting for its groups to join).
 *
 * sessionTimeout is short because on the mock a group that a member just left only accepts the
 * next member after sessionTimeout - 1 s (the restart test); a group's first join takes ~3 s.
 */
const CONSUMER = { sessionTimeout: 6000, heartbeatInterval: 1000, maxWaitTimeInMs: 250 };

let kafka: TestKafka;
let client: Kafka;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  kafka = await resolveTestKafka();
  client = new Kafka({ clientId: 'kafka-bus-spec', brokers: kafka.brokers, logLevel: logLevel.NOTHING });
});

afterAll(async () => {
  await Promise.allSettled(cleanups.reverse().map((c) => c()));
  await kafka?.stop();
});

const unique = (prefix: string) => `${prefix}.${randomUUID().slice(0, 8)}`;

/** A fresh topic (and its .retry/.dlq). The mock auto-creates topics; a real cluster may not. */
async function newTopic(): Promise<string> {
  const topic = unique('spec.kafka-bus');
  if (kafka.kind === 'env') {
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [topic, retryTopic(topic), dlqTopic(topic)].map((t) => ({ topic: t, numPartitions: 4 })),
    });
    await admin.disconnect();
  }
  return topic;
}

/** A bus that logs into `logs`; closed after all tests. */
function newBus(logs: string[] = []): KafkaBus {
  const line = (level: string) => (m: string) => {
    logs.push(`${level} ${m}`);
    if (process.env.KAFKA_SPEC_LOGS) process.stderr.write(`${level} ${m}\n`);
  };
  const bus = new KafkaBus({
    brokers: kafka.brokers,
    clientId: unique('spec'),
    // the mock cluster cannot do kafkajs' idempotent producer; a real cluster can
    idempotent: kafka.kind === 'env',
    logger: { log: line('info'), warn: line('warn'), error: line('error') },
    retryBackoffMs: [100, 200],
    consumer: CONSUMER,
  });
  cleanups.push(() => bus.close());
  return bus;
}

const event = (subject: string, data: unknown): EventEnvelope =>
  newEnvelope({ type: 'spec.thing-happened.v1', source: '/spec/kafka-bus', subject, data });

/** Reads a topic from the beginning with a plain kafkajs consumer, as an operator would read a DLQ. */
async function readTopic(topic: string): Promise<KafkaMessage[]> {
  const messages: KafkaMessage[] = [];
  const consumer = client.consumer({ groupId: unique('spec.reader'), ...CONSUMER });
  cleanups.push(() => consumer.disconnect());
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
  return messages;
}

/** Resolves when the group has committed everything in the topic: nothing left to redeliver. */
async function allCommitted(group: string, topic: string): Promise<void> {
  const admin = client.admin();
  await admin.connect();
  try {
    await waitFor(`${group} to commit all of ${topic}`, async () => {
      const [ends, [committed]] = await Promise.all([
        admin.fetchTopicOffsets(topic),
        admin.fetchOffsets({ groupId: group, topics: [topic] }),
      ]);
      if (!committed) return false;
      const at = new Map(committed.partitions.map((p) => [p.partition, p.offset]));
      // a partition that never had a message has no committed offset (-1), which is fine
      return ends.every((e) => e.high === '0' || at.get(e.partition) === e.high);
    });
  } finally {
    await admin.disconnect();
  }
}

const text = (v: Buffer | string | (Buffer | string)[] | undefined) => (v === undefined ? undefined : String(Array.isArray(v) ? v[0] : v));

describe(`KafkaBus (${process.env.KAFKA_BROKERS ? 'KAFKA_BROKERS' : 'librdkafka mock cluster'})`, () => {
  it.concurrent('delivers every event once and keeps the order of each key', async () => {
    const topic = await newTopic();
    const bus = newBus();
    const seen: { subject: string; n: number; id: string }[] = [];
    await bus.subscribe({
      group: unique('spec.order'),
      topic,
      handle: async (e) => void seen.push({ subject: e.subject, ...(e.data as { n: number }), id: e.id }),
    });
    expect(await bus.isReady()).toBe(true);

    const subjects = Array.from({ length: 12 }, (_, i) => `case-${i}`);
    const published: EventEnvelope[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const envelopes = Array.from({ length: 20 }, (_, i) => event(subjects[(batch * 7 + i) % subjects.length]!, { n: batch * 20 + i }));
      published.push(...envelopes);
      await bus.publish(topic, envelopes);
    }

    await waitFor('all events handled', () => seen.length >= published.length);
    expect(seen.map((s) => s.id).sort()).toEqual(published.map((e) => e.id).sort());
    for (const subject of subjects) {
      const ns = seen.filter((s) => s.subject === subject).map((s) => s.n);
      expect(ns).toEqual([...ns].sort((a, b) => a - b));
    }
  });

  it.concurrent('retries a failing handler through the retry topic and handles the event once', async () => {
    const topic = await newTopic();
    const logs: string[] = [];
    const bus = newBus(logs);
    const group = unique('spec.retry');
    const calls = new Map<string, number>();
    const handled: string[] = [];
    // a second group on the same topic must not see the first group's retries
    const otherGroupCalls: string[] = [];
    await Promise.all([
      bus.subscribe({
        group,
        topic,
        handle: async (e) => {
          const n = (calls.get(e.id) ?? 0) + 1;
          calls.set(e.id, n);
          if (n <= 2) throw new Error(`flaky dependency, call ${n}`);
          handled.push(e.id);
        },
      }),
      bus.subscribe({ group: unique('spec.other'), topic, handle: async (e) => void otherGroupCalls.push(e.id) }),
    ]);

    const envelopes = [event('case-a', { n: 1 }), event('case-b', { n: 2 })];
    await bus.publish(topic, envelopes);

    await waitFor('both events handled after two retries', () => handled.length === 2);
    await allCommitted(group, topic);
    await allCommitted(`${group}.retry`, retryTopic(topic));
    expect(handled.sort()).toEqual(envelopes.map((e) => e.id).sort());
    expect([...calls.values()]).toEqual([3, 3]);
    expect(otherGroupCalls.sort()).toEqual(envelopes.map((e) => e.id).sort());
    expect(logs.filter((l) => l.includes('handled on retry 2'))).toHaveLength(2);
  });

  it.concurrent('moves an event that keeps failing to the DLQ with the error in its headers', async () => {
    const topic = await newTopic();
    const bus = newBus();
    const group = unique('spec.dlq');
    let calls = 0;
    // the DLQ reader joins its group while the bus joins its own (a first join takes ~3 s on the mock)
    const [dlq] = await Promise.all([
      readTopic(dlqTopic(topic)),
      bus.subscribe({
        group,
        topic,
        maxAttempts: 2,
        handle: async () => {
          calls++;
          throw new Error('database says no');
        },
      }),
    ]);
    const envelope = event('case-x', { reason: 'always fails' });
    await bus.publish(topic, [envelope]);

    const dead = await waitFor('the event in the DLQ', () => dlq[0]);
    expect(text(dead.headers?.[BusHeaders.error])).toBe('Error: database says no');
    expect(text(dead.headers?.[BusHeaders.attempt])).toBe('2');
    expect(text(dead.headers?.[BusHeaders.group])).toBe(group);
    expect(text(dead.headers?.[BusHeaders.originalTopic])).toBe(topic);
    expect(text(dead.headers?.ce_id)).toBe(envelope.id);
    expect(dead.key?.toString()).toBe('case-x');
    expect(JSON.parse(dead.value!.toString())).toEqual({ reason: 'always fails' });
    expect(calls).toBe(3); // first delivery + maxAttempts retries
    await allCommitted(`${group}.retry`, retryTopic(topic));
    expect(dlq).toHaveLength(1);
  });

  it.concurrent('sends a PermanentFailure to the DLQ without retrying', async () => {
    const topic = await newTopic();
    const bus = newBus();
    let calls = 0;
    const [dlq] = await Promise.all([
      readTopic(dlqTopic(topic)),
      bus.subscribe({
        group: unique('spec.permanent'),
        topic,
        handle: async () => {
          calls++;
          throw new PermanentFailure('data violates the contract');
        },
      }),
    ]);
    await bus.publish(topic, [event('case-p', { bad: true })]);
    const dead = await waitFor('the event in the DLQ', () => dlq[0]);
    expect(text(dead.headers?.[BusHeaders.error])).toBe('PermanentFailure: data violates the contract');
    expect(text(dead.headers?.[BusHeaders.attempt])).toBe('0');
    expect(calls).toBe(1);
  });

  it.concurrent('moves a message that is not an envelope to the DLQ without blocking its partition', async () => {
    const topic = await newTopic();
    const bus = newBus();
    const group = unique('spec.garbage');
    const handled: EventEnvelope[] = [];
    const [dlq] = await Promise.all([
      readTopic(dlqTopic(topic)),
      bus.subscribe({ group, topic, handle: async (e) => void handled.push(e) }),
    ]);

    const valid = event('case-g', { n: 1 });
    const producer = client.producer();
    cleanups.push(() => producer.disconnect());
    await producer.connect();
    // same key, so the valid event sits behind the garbage in one partition
    await producer.send({
      topic,
      acks: -1,
      messages: [
        { key: 'case-g', value: 'not json {', headers: { 'content-type': 'text/plain' } },
        { key: 'case-g', value: JSON.stringify(valid.data), headers: toKafkaHeaders(valid) },
      ],
    });

    await waitFor('the valid event behind the garbage', () => handled.length === 1);
    expect(handled[0]?.id).toBe(valid.id);
    const dead = await waitFor('the garbage in the DLQ', () => dlq[0]);
    expect(dead.value?.toString()).toBe('not json {');
    expect(text(dead.headers?.[BusHeaders.error])).toMatch(/InvalidEnvelopeError: invalid event envelope: missing header ce_id/);
    expect(text(dead.headers?.[BusHeaders.group])).toBe(group);
    expect(text(dead.headers?.[BusHeaders.originalTopic])).toBe(topic);
    expect(text(dead.headers?.[BusHeaders.originalOffset])).toBe('0');
    expect(text(dead.headers?.[BusHeaders.originalPartition])).toMatch(/^[0-3]$/);
    await allCommitted(group, topic);
  });

  it.concurrent('does not redeliver committed events after a consumer restarts in the same group', async () => {
    const topic = await newTopic();
    const group = unique('spec.restart');
    const subjects = ['case-1', 'case-2', 'case-3'];
    const before = subjects.map((s, i) => event(s, { n: i }));
    const after = subjects.map((s, i) => event(s, { n: 10 + i }));

    const first = newBus();
    const firstSeen: string[] = [];
    await first.subscribe({ group, topic, handle: async (e) => void firstSeen.push(e.id) });
    await first.publish(topic, before);
    await waitFor('the first events handled', () => firstSeen.length === before.length);
    await allCommitted(group, topic);
    await first.close();
    expect(await first.isReady()).toBe(false);

    // same keys: a redelivered old event would arrive before the new one of its key
    const second = newBus();
    const secondSeen: string[] = [];
    const sub: Subscription = { group, topic, handle: async (e) => void secondSeen.push(e.id) };
    await second.subscribe(sub);
    await second.publish(topic, after);
    await waitFor('the new events handled', () => secondSeen.length >= after.length, { timeoutMs: 30_000 });
    await allCommitted(group, topic);
    expect(secondSeen.sort()).toEqual(after.map((e) => e.id).sort());
    expect(firstSeen.sort()).toEqual(before.map((e) => e.id).sort());
  });
});
