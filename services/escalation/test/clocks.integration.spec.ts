import { caseOpened, deliver, recordTopic, TestService, tokenFor, upstreamEvent, waitFor } from '@aftersales/testing';
import { startEscalationService } from './escalation-harness';

describe('escalation service: starts an SLA clock per case (real PostgreSQL, in-process bus)', () => {
  let t: TestService;
  let escalationEvents: Awaited<ReturnType<typeof recordTopic>>;
  beforeAll(async () => {
    ({ t, events: escalationEvents } = await startEscalationService());
  });
  afterAll(() => t.stop());

  it('starts one ladder clock per case (ladder B: measuring the time to diagnosis), due by severity, and announces it', async () => {
    const opened = caseOpened({ severity: 'P1', openedAt: '2026-11-23T08:00:00.000Z' });
    const event = upstreamEvent('case.opened.v1', opened.caseId, opened);
    await deliver(t.bus, event);
    await deliver(t.bus, event); // redelivered
    const clocks = (await t.http('GET', `/cases/${opened.caseId}/clocks`)).body.items;
    expect(clocks).toHaveLength(1);
    expect(clocks[0]).toMatchObject({ target: 'ladder:diagnosis', state: 'running', severity: 'P1', dueAt: '2026-11-23T08:10:00.000Z' });
    const started = await waitFor('clock started event', () => escalationEvents.find((e) => e.subject === opened.caseId));
    expect(started.data).toMatchObject({ clockId: clocks[0].id, target: 'ladder:diagnosis', dueAt: '2026-11-23T08:10:00.000Z' });
  });

  it('keeps clocks from customers (404, as for any record out of their scope)', async () => {
    const res = await t.http('GET', `/cases/${caseOpened().caseId}/clocks`, { token: await tokenFor('customer', { customerId: 'C-100' }) });
    expect(res.status).toBe(404);
  });
});
