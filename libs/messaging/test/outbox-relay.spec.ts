import { randomUUID } from 'node:crypto';
import { Outbox, OutboxRelay } from '@aftersales/messaging';
import { waitFor } from '@aftersales/testing';
import { messagingSchema, RecordingBus } from './messaging-fixture';

type Fixture = Awaited<ReturnType<typeof messagingSchema>>;

/** Writes `perAggregate` events for each aggregate from concurrent transactions; the sequence is in `template`. */
async function writeInterleaved(f: Fixture, aggregates: string[], perAggregate: number): Promise<void> {
  const outbox = new Outbox(f.schema, 'test/relay');
  for (let seq = 0; seq < perAggregate; seq++) {
    await Promise.all(
      aggregates.map((aggregate) =>
        f.dataSource.transaction((m) =>
          outbox.append(m, [
            {
              type: 'notify.notification.recorded.v1',
              aggregateType: 'case',
              aggregateId: aggregate,
              data: { notificationId: randomUUID(), region: 'north', template: `seq-${seq}`, channel: 'email', recipient: aggregate },
            },
          ]),
        ),
      ),
    );
  }
}

function sequencesByAggregate(bus: RecordingBus): Map<string, number[]> {
  const seen = new Map<string, number[]>();
  for (const { envelope } of bus.published) {
    const seq = Number((envelope.data as { template: string }).template.slice(4));
    seen.set(envelope.subject, [...(seen.get(envelope.subject) ?? []), seq]);
  }
  return seen;
}

describe('OutboxRelay (real PostgreSQL)', () => {
  let f: Fixture;
  const relays: OutboxRelay[] = [];
  beforeEach(async () => {
    f = await messagingSchema('relay');
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await f.drop();
  });

  function relay(bus: RecordingBus): OutboxRelay {
    const r = new OutboxRelay({ dataSource: f.dataSource, databaseUrl: f.url, schema: f.schema, bus, pollMs: 50, batchSize: 25 });
    relays.push(r);
    return r;
  }

  it('publishes every event once, in order per aggregate, woken by NOTIFY', async () => {
    const bus = new RecordingBus();
    await relay(bus).start();
    const aggregates = Array.from({ length: 8 }, () => randomUUID());
    await writeInterleaved(f, aggregates, 25);
    await waitFor('200 events published', () => bus.published.length >= 200 || undefined);
    const seqs = sequencesByAggregate(bus);
    for (const a of aggregates) expect(seqs.get(a)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(new Set(bus.published.map((p) => p.envelope.id)).size).toBe(200);
    expect(bus.published.every((p) => p.topic === 'aftersales.notify.events.v1')).toBe(true);
    const [{ unsent }] = await f.dataSource.query(`SELECT count(*)::int AS unsent FROM "${f.schema}".outbox WHERE sent_at IS NULL`);
    expect(unsent).toBe(0);
  });

  it('drain() can be called again and again, and the relay keeps publishing on its own afterwards', async () => {
    const bus = new RecordingBus();
    const r = relay(bus);
    await r.start();
    const aggregates = [randomUUID()];
    await writeInterleaved(f, aggregates, 3);
    await r.drain();
    await r.drain();
    expect(bus.published.length).toBe(3);
    await writeInterleaved(f, aggregates, 2); // no drain: the timer or NOTIFY must pick these up
    await waitFor('events after the drains', () => bus.published.length >= 5 || undefined);
  });

  it('keeps order and publishes once with two relay replicas on the same outbox', async () => {
    const bus = new RecordingBus();
    const [a, b] = [relay(bus), relay(bus)];
    await a.start();
    await b.start();
    const aggregates = Array.from({ length: 5 }, () => randomUUID());
    await writeInterleaved(f, aggregates, 30);
    await waitFor('150 events published', () => bus.published.length >= 150 || undefined);
    expect(bus.published).toHaveLength(150);
    for (const s of sequencesByAggregate(bus).values()) expect(s).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1);
  });

  it('a replica takes over when the leader stops, losing nothing', async () => {
    const bus = new RecordingBus();
    const [a, b] = [relay(bus), relay(bus)];
    await a.start();
    await waitFor('a leads', () => a.isLeader() || undefined);
    await b.start();
    const aggregates = [randomUUID()];
    await writeInterleaved(f, aggregates, 10);
    await waitFor('10 published', () => bus.published.length >= 10 || undefined);
    await a.stop();
    await writeInterleaved(f, aggregates, 10);
    await waitFor('b took over', () => (b.isLeader() && bus.published.length >= 20) || undefined);
    const seqs = sequencesByAggregate(bus).get(aggregates[0]!)!;
    expect(seqs).toEqual([...Array.from({ length: 10 }, (_, i) => i), ...Array.from({ length: 10 }, (_, i) => i)]);
  });

  it('retries after a failed publish without reordering, and records the attempts', async () => {
    const bus = new RecordingBus();
    bus.failNext = 2;
    const aggregates = [randomUUID(), randomUUID()];
    await writeInterleaved(f, aggregates, 5);
    await relay(bus).start();
    await waitFor('10 published', () => bus.published.length >= 10 || undefined);
    for (const s of sequencesByAggregate(bus).values()) expect(s).toEqual([0, 1, 2, 3, 4]);
    const [{ attempts, error }] = await f.dataSource.query(
      `SELECT attempts, last_error AS error FROM "${f.schema}".outbox ORDER BY id LIMIT 1`,
    );
    expect(attempts).toBe(2);
    expect(error).toBe('broker unavailable');
  });

  it('never publishes events of a rolled-back transaction', async () => {
    const bus = new RecordingBus();
    await relay(bus).start();
    const outbox = new Outbox(f.schema, 'test/relay');
    const aggregate = randomUUID();
    await expect(
      f.dataSource.transaction(async (m) => {
        await outbox.append(m, [
          {
            type: 'notify.notification.recorded.v1',
            aggregateType: 'case',
            aggregateId: aggregate,
            data: { notificationId: randomUUID(), region: 'north', template: 'seq-0', channel: 'email', recipient: 'x' },
          },
        ]);
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    await writeInterleaved(f, [randomUUID()], 1);
    await waitFor('the committed event', () => bus.published.length >= 1 || undefined);
    expect(bus.published.map((p) => p.envelope.subject)).not.toContain(aggregate);
  });

  it('refuses an append outside a transaction, and invalid event data', async () => {
    const outbox = new Outbox(f.schema, 'test/relay');
    await expect(
      outbox.append(f.dataSource.manager, [
        {
          type: 'notify.notification.recorded.v1',
          aggregateType: 'case',
          aggregateId: 'a',
          data: { notificationId: randomUUID(), region: 'north', template: 't', channel: 'email', recipient: 'x' },
        },
      ]),
    ).rejects.toThrow(/inside the transaction/);
    await expect(
      f.dataSource.transaction((m) =>
        outbox.append(m, [
          {
            type: 'notify.notification.recorded.v1',
            aggregateType: 'case',
            aggregateId: 'a',
            data: { notificationId: 'not-a-uuid' } as never,
          },
        ]),
      ),
    ).rejects.toThrow(/notificationId/);
  });
});
