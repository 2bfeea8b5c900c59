import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { INestMicroservice } from '@nestjs/common';
import { newEnvelope } from '@aftersales/contracts';
import { Envelope, EventBusServer, HandlerContext, HandlerSpy, InProcessBus, Inbox, OnEvent, Outbox } from '@aftersales/messaging';
import { randomUUID } from 'node:crypto';
import { messagingSchema } from './messaging-fixture';

const opened = (caseId = randomUUID()) => ({
  caseId,
  caseNumber: 'N-1',
  requestId: randomUUID(),
  region: 'north',
  customerId: 'C-1',
  contact: { name: 'Li' },
  severity: 'P2',
  symptom: 's',
  openedAt: '2026-12-01T08:00:00.000Z',
});

describe('@OnEvent: a handler bound to its event type and the inbox (real PostgreSQL)', () => {
  let db: Awaited<ReturnType<typeof messagingSchema>>;
  let app: INestMicroservice;
  const bus = new InProcessBus();
  const spy = new HandlerSpy();
  const calls: Array<{ caseId: string; committed: boolean }> = [];
  let failNext = false;
  let failSecondNext = false;

  beforeAll(async () => {
    db = await messagingSchema('onevent');
    await db.dataSource.query(`CREATE TABLE "${db.schema}".seen (case_id uuid PRIMARY KEY)`);
    await db.dataSource.query(`CREATE TABLE "${db.schema}".second_seen (case_id uuid PRIMARY KEY)`);
    const outbox = new Outbox(db.schema, 'test');
    @Controller()
    class Handler {
      @OnEvent('case.opened.v1', { consumer: 'test.opened' })
      async onOpened(e: Envelope<'case.opened.v1'>, tx: HandlerContext): Promise<void> {
        const call = { caseId: e.data.caseId, committed: false };
        calls.push(call);
        await tx.manager.query(`INSERT INTO "${db.schema}".seen (case_id) VALUES ($1)`, [e.data.caseId]);
        await outbox.append(tx.manager, [
          {
            type: 'notify.notification.recorded.v1',
            aggregateType: 'notification',
            aggregateId: randomUUID(),
            data: { notificationId: randomUUID(), region: 'north', template: 't', channel: 'in-app', recipient: 'x' },
          },
        ]);
        tx.afterCommit(() => (call.committed = true));
        if (failNext) {
          failNext = false;
          throw new Error('handler failed after its writes');
        }
      }
    }
    @Controller()
    class SecondHandler {
      @OnEvent('case.opened.v1', { consumer: 'test.opened-second' })
      async onOpened(e: Envelope<'case.opened.v1'>, tx: HandlerContext): Promise<void> {
        await tx.manager.query(`INSERT INTO "${db.schema}".second_seen (case_id) VALUES ($1)`, [e.data.caseId]);
        if (failSecondNext) {
          failSecondNext = false;
          throw new Error('second handler failed');
        }
      }
    }
    @Module({ controllers: [Handler, SecondHandler] })
    class M {}
    app = await NestFactory.createMicroservice(M, {
      strategy: new EventBusServer(bus, 'onevent', { inbox: new Inbox(db.dataSource, db.schema), spy }),
      logger: false,
    });
    await app.listen();
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const seen = async (caseId: string) =>
    Number((await db.dataSource.query(`SELECT count(*)::int AS n FROM "${db.schema}".seen WHERE case_id = $1`, [caseId]))[0].n);

  it('runs the handler once per event id, in the inbox transaction, and reports handled then duplicate', async () => {
    const e = newEnvelope({ type: 'case.opened.v1', source: 't', subject: 'x', data: opened() });
    await bus.publish('aftersales.case.events.v1', [e]);
    await bus.publish('aftersales.case.events.v1', [e]);
    expect(calls.filter((c) => c.caseId === e.data.caseId)).toEqual([{ caseId: e.data.caseId, committed: true }]);
    expect(await seen(e.data.caseId)).toBe(1);
    expect(spy.seen(e.id).map((h) => h.outcome)).toEqual(['handled', 'duplicate']);
    await expect(spy.waitFor(e.id)).resolves.toMatchObject({ type: 'case.opened.v1', outcome: 'handled' });
  });

  it('rolls back the handler and the inbox row together when it throws, so the retry runs it again', async () => {
    failNext = true;
    const e = newEnvelope({ type: 'case.opened.v1', source: 't', subject: 'y', data: opened() });
    const waiting = spy.waitFor(e.id);
    await bus.publish('aftersales.case.events.v1', [e]); // the in-process bus retries a failed delivery
    await waiting;
    expect(spy.seen(e.id).map((h) => h.outcome)).toEqual(['failed', 'handled']);
    expect(calls.filter((c) => c.caseId === e.data.caseId).map((c) => c.committed)).toEqual([false, true]);
    expect(await seen(e.data.caseId)).toBe(1);
    const outbox = await db.dataSource.query(`SELECT count(*)::int AS n FROM "${db.schema}".outbox`);
    expect(outbox[0].n).toBe(2);
  });

  it('runs every handler of one event type, each in its own inbox transaction', async () => {
    const e = newEnvelope({ type: 'case.opened.v1', source: 't', subject: 'w', data: opened() });
    failSecondNext = true; // the first commits, the second fails: the retry runs only the second
    await bus.publish('aftersales.case.events.v1', [e]);
    expect(await seen(e.data.caseId)).toBe(1);
    const second = await db.dataSource.query(`SELECT count(*)::int AS n FROM "${db.schema}".second_seen WHERE case_id = $1`, [
      e.data.caseId,
    ]);
    expect(second[0].n).toBe(1);
    expect(calls.filter((c) => c.caseId === e.data.caseId)).toHaveLength(1);
    const consumers = await db.dataSource.query(`SELECT consumer FROM "${db.schema}".inbox WHERE event_id = $1 ORDER BY consumer`, [e.id]);
    expect(consumers.map((r: { consumer: string }) => r.consumer)).toEqual(['test.opened', 'test.opened-second']);
  });

  it('rejects data that breaks the contract before the handler runs, and the spy says why', async () => {
    const e = newEnvelope({ type: 'case.opened.v1', source: 't', subject: 'z', data: { ...opened(), severity: 'P9' } });
    await bus.publish('aftersales.case.events.v1', [e]).catch(() => undefined);
    const [failed] = spy.seen(e.id);
    expect(failed).toMatchObject({ outcome: 'failed', error: expect.stringContaining('severity') });
    await expect(spy.waitFor(e.id, { timeoutMs: 50 })).rejects.toThrow(/severity/);
  });

  it("commits a run of one key's events in one transaction per consumer, each once", async () => {
    const events = ['v1', 'v1', 'v1'].map((subject) => newEnvelope({ type: 'case.opened.v1', source: 't', subject, data: opened() }));
    await bus.publish('aftersales.case.events.v1', events);
    await bus.publish('aftersales.case.events.v1', events);
    for (const e of events) expect(spy.seen(e.id).map((h) => h.outcome)).toEqual(['handled', 'duplicate']);
    for (const e of events) expect(await seen(e.data.caseId)).toBe(1);
    const tx = await db.dataSource.query(
      `SELECT consumer, count(DISTINCT xmin::text)::int AS n FROM "${db.schema}".inbox WHERE event_id = ANY($1::uuid[]) GROUP BY consumer`,
      [events.map((e) => e.id)],
    );
    expect(tx).toEqual(
      expect.arrayContaining([
        { consumer: 'test.opened', n: 1 },
        { consumer: 'test.opened-second', n: 1 },
      ]),
    );
  });

  it('still handles the good events of a run when one of them breaks the contract', async () => {
    const envelope = (data: ReturnType<typeof opened>) => newEnvelope({ type: 'case.opened.v1', source: 't', subject: 'u', data });
    const [good, bad, later] = [envelope(opened()), envelope({ ...opened(), severity: 'P9' }), envelope(opened())];
    await bus.publish('aftersales.case.events.v1', [good, bad, later]).catch(() => undefined);
    expect(spy.seen(good.id).map((h) => h.outcome)).toEqual(['handled']);
    expect(spy.seen(bad.id).map((h) => h.outcome)).toEqual(['failed']);
    expect(spy.seen(later.id).map((h) => h.outcome)).toEqual(['handled']);
    expect(await seen(later.data.caseId)).toBe(1);
  });
});
