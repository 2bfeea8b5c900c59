import { EventEnvelope } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import {
  caseOpened,
  deliver,
  outboxRelayed,
  recordTopic,
  startTestService,
  upstreamEvent,
  useTestService,
  waitFor,
} from '@aftersales/testing';
import { randomUUID } from 'node:crypto';
import { intakeService } from '../src/intake.service-definition';
import { HandoffWatch } from '../src/requests';
import { seedRegistry } from './requests.seed';

/** Seed 002: a request must reach a hotline engineer within 15 minutes, else it is flagged (once). */
describe('intake requests: the 15-minute hand-off clock', () => {
  const clock = new ManualClock('2026-03-10T02:00:00Z');
  const bus = new InProcessBus();
  let published: EventEnvelope[];
  beforeAll(async () => {
    published = await recordTopic(bus, 'aftersales.intake.requests.v1');
  });
  const t = useTestService(intakeService, { bus, clock, env: { INTAKE_HANDOFF_SWEEP_MS: '0' } });
  let watch: HandoffWatch;
  beforeAll(async () => {
    watch = t.service.app.get(HandoffWatch);
    await seedRegistry(t.service.runtime.dataSource, { customers: [{ id: 'C-1' }] });
  });

  const file = async (symptom: string, over: Record<string, unknown> = {}) => {
    const res = await t.http('POST', '/requests', {
      body: { customerId: 'C-1', contact: { name: 'Li' }, channel: 'phone', symptom, impact: 'degraded', ...over },
    });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };
  const overdueEvents = (id: string) => published.filter((e) => e.type === 'intake.request.handoff-overdue.v1' && e.subject === id);
  const caseFor = async (requestId: string) => {
    const caseId = randomUUID();
    const caseNumber = `NORTH-2026-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    await deliver(
      bus,
      upstreamEvent(
        'case.opened.v1',
        caseId,
        caseOpened({ caseId, caseNumber, requestId, customerId: 'C-1', severity: 'P2', openedAt: clock.now().toISOString() }),
      ),
    );
    return { caseId, caseNumber };
  };

  it('flags a request nobody took after 15 minutes, exactly once, and not one an engineer took', async () => {
    const waiting = await file('nobody picks this up');
    const taken = await file('an engineer takes this one');
    const { caseId, caseNumber } = await caseFor(taken.id);
    await caseFor(waiting.id); // a case that is open but not assigned still waits for an engineer

    clock.advanceMinutes(5);
    await deliver(
      bus,
      upstreamEvent('case.assigned.v1', caseId, {
        caseId,
        caseNumber,
        region: 'north',
        customerId: 'C-1',
        severity: 'P2',
        tier: 'L1',
        engineerId: 'E-7',
        engineerName: 'Chen Jie',
        actor: { subject: 'dispatcher', role: 'agent' },
        reason: 'hotline load',
        at: clock.now().toISOString(),
      }),
    );
    expect((await t.http('GET', `/requests/${taken.id}`)).body.takenAt).toBe('2026-03-10T02:05:00.000Z');

    clock.advanceMinutes(9); // 14 minutes after filing
    expect(await watch.sweep()).toEqual([]);

    clock.advanceMinutes(1); // 15 minutes
    expect(await watch.sweep()).toEqual([waiting.id]);
    const [event] = await waitFor('the overdue event', () => overdueEvents(waiting.id).length === 1 && overdueEvents(waiting.id));
    expect(event?.data).toEqual({
      requestId: waiting.id,
      region: 'north',
      customerId: 'C-1',
      severity: 'P2',
      receivedAt: '2026-03-10T02:00:00.000Z',
      overdueAt: '2026-03-10T02:15:00.000Z',
    });
    expect((await t.http('GET', `/requests/${waiting.id}`)).body.handoffOverdueAt).toBe('2026-03-10T02:15:00.000Z');

    clock.advanceMinutes(60);
    expect(await watch.sweep()).toEqual([]);
    await outboxRelayed(t); // anything it (wrongly) appended is published by now
    expect(overdueEvents(waiting.id)).toHaveLength(1);
    expect(overdueEvents(taken.id)).toHaveLength(0);
  });

  it('counts a case moved on by the desk as taken, never flags a closed case or a linked call', async () => {
    const moved = await file('moved to in-progress', { serialNumber: 'SN-H-1' });
    const closed = await file('closed at once', { serialNumber: 'SN-H-2' });
    const again = await t.http('POST', '/requests', {
      body: { customerId: 'C-1', contact: { name: 'Li' }, channel: 'phone', symptom: 'same again', serialNumber: 'SN-H-2' },
    });
    expect(again.status).toBe(200);
    const m = await caseFor(moved.id);
    const c = await caseFor(closed.id);
    const change = (ref: { caseId: string; caseNumber: string }, from: string, to: string) =>
      deliver(
        bus,
        upstreamEvent('case.status.changed.v1', ref.caseId, {
          ...ref,
          region: 'north',
          customerId: 'C-1',
          severity: 'P2',
          from: from as 'received',
          to: to as 'in-progress',
          actor: { subject: 'eng', role: 'engineer' },
          at: clock.now().toISOString(),
        }),
      );
    await change(m, 'received', 'in-progress');
    await change(c, 'received', 'closed');
    clock.advanceMinutes(20);
    expect(await watch.sweep()).toEqual([]);
  });

  it('flags each request once even when replicas sweep at the same time', async () => {
    const filed = [
      await file('r1', { serialNumber: 'SN-R-1' }),
      await file('r2', { serialNumber: 'SN-R-2' }),
      await file('r3', { serialNumber: 'SN-R-3' }),
    ];
    clock.advanceMinutes(15);
    const swept = (await Promise.all([watch.sweep(), watch.sweep(), watch.sweep()])).flat();
    expect(swept.sort()).toEqual(filed.map((r) => r.id).sort());
  });

  it('runs on a timer that stops with the service: after the stop a hand-off that comes due is left alone', async () => {
    // only the sweep's interval is faked, so the test fires its ticks; HTTP, the database and the bus run as ever
    jest.useFakeTimers({ doNotFake: ALL_BUT_INTERVALS });
    const clock2 = new ManualClock('2026-03-10T02:00:00Z');
    const bus2 = new InProcessBus();
    const seen = await recordTopic(bus2, 'aftersales.intake.requests.v1');
    const t2 = await startTestService(intakeService, { bus: bus2, clock: clock2, env: { INTAKE_HANDOFF_SWEEP_MS: '50' } });
    const watch2 = t2.service.app.get(HandoffWatch);
    const flagged = (id: string) => seen.some((e) => e.type === 'intake.request.handoff-overdue.v1' && e.subject === id);
    const fileIn2 = async () => {
      const res = await t2.http('POST', '/requests', {
        body: { customerId: 'C-1', contact: { name: 'Li' }, channel: 'phone', symptom: 'x' },
      });
      expect(res.status).toBe(201);
      return (res.body as { id: string }).id;
    };
    try {
      await seedRegistry(t2.service.runtime.dataSource, { customers: [{ id: 'C-1' }] });
      const first = await fileIn2();
      clock2.advanceMinutes(16);
      jest.advanceTimersByTime(50); // one tick of the timer
      await waitFor('the timer to flag it', () => flagged(first));
      expect(watch.running).toBe(false); // the first service sweeps by hand (INTAKE_HANDOFF_SWEEP_MS=0)
      expect(watch2.running).toBe(true);

      const late = await fileIn2();
      const sweeps = jest.spyOn(watch2, 'sweep');
      await t2.service.close();
      clock2.advanceMinutes(16); // the late request is due now
      jest.advanceTimersByTime(10 * 50); // ten ticks, had the timer stayed
      expect(jest.getTimerCount()).toBe(0);
      expect(sweeps).not.toHaveBeenCalled();
      expect(flagged(late)).toBe(false);
      expect(watch2.running).toBe(false);
    } finally {
      jest.useRealTimers();
      await t2.stop();
    }
  });
});

/** Every timer function jest can fake except setInterval/clearInterval (the sweep's timer). */
const ALL_BUT_INTERVALS: Array<
  'Date' | 'hrtime' | 'nextTick' | 'performance' | 'queueMicrotask' | 'setImmediate' | 'clearImmediate' | 'setTimeout' | 'clearTimeout'
> = ['Date', 'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout'];
