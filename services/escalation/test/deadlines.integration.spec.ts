import { randomUUID } from 'node:crypto';
import { EventEnvelope } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import { deliver, recordTopic, startTestService, TestService, tokenFor, upstreamEvent, waitFor } from '@aftersales/testing';
import { DeadlineWorker } from '../src/deadlines';
import { escalationService } from '../src/escalation.service-definition';

const HOUR = 3_600_000;
const START = '2027-01-13T02:00:00.000Z';
const ENV = { ESCALATION_DEADLINE_SWEEP_MS: '0' };

/** Task deadlines escalation holds for survey and spares: recorded once, fired once when passed, stopped when done. */
describe('escalation task deadlines (real PostgreSQL, in-process bus, two replicas)', () => {
  const clock = new ManualClock(START);
  let a: TestService;
  let b: TestService;
  let events: EventEnvelope[];

  beforeAll(async () => {
    const bus = new InProcessBus();
    events = await recordTopic(bus, 'aftersales.escalation.events.v1');
    a = await startTestService(escalationService, { bus, clock, env: ENV });
    // a second replica on the same schema, with its own bus (a consumer group is unique per bus)
    b = await startTestService(escalationService, { bus: new InProcessBus(), clock, env: ENV, schema: a.schema });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  const worker = (t: TestService) => t.service.app.get(DeadlineWorker);
  const deadlineOf = async (subjectId: string) =>
    (await a.service.runtime.dataSource.query(`SELECT * FROM "${a.schema}".deadlines WHERE subject_id = $1`, [subjectId]))[0];
  const overdueRows = async (subjectId: string): Promise<number> =>
    (
      await a.service.runtime.dataSource.query(
        `SELECT count(*)::int AS n FROM "${a.schema}".outbox WHERE event_type = 'escalation.deadline.overdue.v1' AND payload->>'subjectId' = $1`,
        [subjectId],
      )
    )[0].n;

  function callbackRequested(dueInHours: number) {
    const caseId = randomUUID();
    const data = {
      callbackId: randomUUID(),
      surveyId: randomUUID(),
      caseId,
      caseNumber: 'NORTH-2027-000007',
      region: 'north',
      customerId: 'C-100',
      lowItems: ['attitude' as const],
      dueAt: new Date(clock.now().getTime() + dueInHours * HOUR).toISOString(),
    };
    return upstreamEvent('survey.callback.requested.v1', caseId, data);
  }

  it('fires a survey callback deadline once, after its due time, however many replicas tick', async () => {
    const requested = callbackRequested(48);
    await deliver(a.bus, requested);
    await deliver(a.bus, requested); // redelivered: still one deadline
    const { callbackId, caseId } = requested.data;
    expect(await deadlineOf(callbackId)).toMatchObject({
      kind: 'survey-callback',
      state: 'open',
      notify_roles: ['service-delivery-manager', 'manager2'],
    });

    clock.advance(48 * HOUR - 1000);
    expect(await Promise.all([worker(a).sweep(), worker(b).sweep()])).toEqual([0, 0]);

    clock.advance(1000); // due exactly now
    const fired = await Promise.all([worker(a).sweep(), worker(b).sweep(), worker(a).sweep()]);
    expect(fired.reduce((x, y) => x + y, 0)).toBe(1);
    expect(await worker(b).sweep()).toBe(0);
    expect(await overdueRows(callbackId)).toBe(1);

    const overdue = await waitFor('the overdue event on the bus', () =>
      events.find((e) => e.type === 'escalation.deadline.overdue.v1' && (e.data as { subjectId: string }).subjectId === callbackId),
    );
    expect(overdue.subject).toBe(caseId); // keyed by the case: in order with the case's other events
    expect(overdue.data).toMatchObject({
      kind: 'survey-callback',
      caseId,
      region: 'north',
      notifyRoles: ['service-delivery-manager', 'manager2'],
      dueAt: requested.data.dueAt,
      firedAt: clock.now().toISOString(),
    });

    // the manager calls back late: the deadline is met, nothing fires again
    const closed = upstreamEvent('survey.callback.closed.v1', caseId, {
      callbackId,
      caseId,
      region: 'north',
      outcome: 'reached',
      closedAt: clock.now().toISOString(),
    });
    await deliver(a.bus, closed);
    expect(await deadlineOf(callbackId)).toMatchObject({ state: 'met' });
    clock.advance(HOUR);
    expect(await worker(a).sweep()).toBe(0);
  });

  it('stops a deadline whose task is done in time, also when the done event comes first', async () => {
    const requested = callbackRequested(48);
    const { callbackId, caseId } = requested.data;
    const closed = upstreamEvent('survey.callback.closed.v1', caseId, {
      callbackId,
      caseId,
      region: 'north',
      outcome: 'complaint-opened',
      closedAt: clock.now().toISOString(),
    });
    await deliver(a.bus, closed);
    await deliver(a.bus, requested);
    expect(await deadlineOf(callbackId)).toMatchObject({ state: 'met', due_at: null });

    const planId = randomUUID();
    const dueAt = new Date(clock.now().getTime() + 7 * 24 * HOUR).toISOString();
    const lines = [{ partNumber: 'HDD-600G', quantity: 4 }];
    await deliver(
      a.bus,
      upstreamEvent('spares.purchase-plan.drafted.v1', planId, {
        planId,
        contractId: 'K-1',
        customerId: 'C-100',
        region: 'north',
        dueAt,
        lines,
      }),
    );
    expect(await deadlineOf(planId)).toMatchObject({ kind: 'purchase-plan-stock-in', state: 'open', case_id: null });
    clock.advance(6 * 24 * HOUR);
    await deliver(
      a.bus,
      upstreamEvent('spares.purchase-plan.stocked-in.v1', planId, { planId, region: 'north', stockedInAt: clock.now().toISOString() }),
    );
    clock.advance(2 * 24 * HOUR);
    expect(await worker(a).sweep()).toBe(0);
    expect(await deadlineOf(planId)).toMatchObject({ state: 'met' });
    expect(await overdueRows(planId)).toBe(0);
  });

  it('fires a late purchase plan keyed by the plan, and lists deadlines per region', async () => {
    const planId = randomUUID();
    const dueAt = new Date(clock.now().getTime() + HOUR).toISOString();
    await deliver(
      a.bus,
      upstreamEvent('spares.purchase-plan.drafted.v1', planId, {
        planId,
        contractId: 'K-2',
        customerId: 'C-100',
        region: 'north',
        dueAt,
        lines: [],
      }),
    );
    clock.advance(2 * HOUR);
    expect(await worker(b).sweep()).toBe(1);
    const e = await waitFor('the plan overdue', () =>
      events.find((x) => x.type === 'escalation.deadline.overdue.v1' && (x.data as { subjectId: string }).subjectId === planId),
    );
    expect(e.subject).toBe(planId);
    expect(e.data).not.toHaveProperty('caseId');

    const north = await a.http('GET', `/deadlines?subjectId=${planId}`, { role: 'manager' });
    expect(north.body).toMatchObject({ total: 1, items: [{ kind: 'purchase-plan-stock-in', state: 'overdue' }] });
    const south = await a.http('GET', `/deadlines?subjectId=${planId}`, { token: await tokenFor('manager', { region: 'south' }) });
    expect(south.body.total).toBe(0);
    expect((await a.http('GET', '/deadlines?kind=nonsense', { role: 'manager' })).status).toBe(400);
  });

  it('holds a faulty part owed back to its due time: overdue once to the managers, met when it is received', async () => {
    const caseId = randomUUID();
    const part = {
      requestId: randomUUID(),
      caseId,
      region: 'north',
      depotId: 'N-BJ',
      depotRegion: 'north',
      partNumber: 'CTRL-9000',
      partClass: 'controller' as const,
      quantity: 1,
    };
    const owed = (returnId: string, dueInHours: number) =>
      upstreamEvent('spares.return.expected.v1', caseId, {
        returnId,
        ...part,
        doa: false,
        dueAt: new Date(clock.now().getTime() + dueInHours * HOUR).toISOString(),
        at: clock.now().toISOString(),
      });
    const received = (returnId: string) =>
      upstreamEvent('spares.return.received.v1', caseId, {
        returnId,
        ...part,
        condition: 'faulty',
        late: false,
        actor: { subject: 'depot-keeper', role: 'engineer' },
        at: clock.now().toISOString(),
      });

    const late = randomUUID();
    const onTime = randomUUID();
    await deliver(a.bus, owed(late, 24));
    await deliver(a.bus, owed(onTime, 24));
    expect(await deadlineOf(late)).toMatchObject({
      kind: 'defective-return',
      state: 'open',
      case_id: caseId,
      notify_roles: ['service-delivery-manager', 'technical-manager'],
    });
    clock.advance(2 * HOUR);
    await deliver(a.bus, received(onTime));
    expect(await deadlineOf(onTime)).toMatchObject({ state: 'met' });

    clock.advance(23 * HOUR);
    expect(await worker(a).sweep()).toBe(1);
    expect(await worker(a).sweep()).toBe(0);
    const overdue = await waitFor('the return overdue', () =>
      events.find((x) => x.type === 'escalation.deadline.overdue.v1' && (x.data as { subjectId: string }).subjectId === late),
    );
    expect(overdue.subject).toBe(caseId);
    expect(overdue.data).toMatchObject({
      kind: 'defective-return',
      region: 'north',
      notifyRoles: ['service-delivery-manager', 'technical-manager'],
    });
    expect(await overdueRows(onTime)).toBe(0);

    await deliver(a.bus, received(late)); // back at the depot at last
    expect(await deadlineOf(late)).toMatchObject({ state: 'met' });
  });

  it('exposes its metrics from zero, for every kind', async () => {
    const res = await fetch(`${b.service.url}/metrics`);
    const text = await res.text();
    expect(text).toMatch(/aftersales_escalation_deadlines_total\{kind="defective-return",event="overdue"[^}]*\} 0/);
    expect(text).toMatch(/aftersales_escalation_deadlines_pending\{kind="survey-callback",state="open"[^}]*\} \d/);
    const a2 = await (await fetch(`${a.service.url}/metrics`)).text();
    expect(a2).toMatch(/aftersales_escalation_deadlines_total\{kind="survey-callback",event="recorded"[^}]*\} [1-9]/);
  });
});
