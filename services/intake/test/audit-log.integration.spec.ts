import { InProcessBus } from '@aftersales/messaging';
import { startTestService, TestService, tokenFor } from '@aftersales/testing';
import { intakeService } from '../src/intake.service-definition';
import { seedRegistry } from './requests.seed';

/**
 * Intake's events do not name who acted: the audit entry takes the caller from the verified token
 * of the request being handled (the HTTP edge's audit scope), never from the body.
 */
describe('audit log (intake service, real PostgreSQL)', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService(intakeService, { bus: new InProcessBus(), env: { INTAKE_HANDOFF_SWEEP_MS: '0' } });
    await seedRegistry(t.service.runtime.dataSource, { customers: [{ id: 'C-100' }] });
  });
  afterAll(() => t.stop());

  it("names the token's subject as the actor of a filed request, each caller apart", async () => {
    const body = {
      customerId: 'C-100',
      contact: { name: 'Li Wei', email: 'li.wei@example.com' },
      channel: 'phone',
      severity: 'P2',
      symptom: 'controller fault light',
    };
    // two callers at once: each change keeps its own actor
    const [li, chen] = await Promise.all([
      t.http('POST', '/requests', { token: await tokenFor('agent', { sub: 'agent-li' }), body }),
      t.http('POST', '/requests', { token: await tokenFor('agent', { sub: 'agent-chen' }), body: { ...body, symptom: 'disk failure' } }),
    ]);
    expect([li.status, chen.status]).toEqual([201, 201]);

    const manager = await tokenFor('manager', { sub: 'mgr-wang' });
    const byLi = await t.http('GET', '/audit?actor=agent-li', { token: manager });
    expect(byLi.status).toBe(200);
    const isEvent = (e: { eventId: string | null }) => e.eventId !== null;
    const [event, ...more] = byLi.body.items.filter(isEvent);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      actor: 'agent-li',
      actorRole: 'agent',
      region: 'north',
      action: 'intake.request.received.v1',
      aggregateId: li.body.id,
      before: null,
      after: { requestId: li.body.id, symptom: 'controller fault light' },
    });
    // the request's row (ADR 0009), by the same caller, in the same transaction
    const rows = byLi.body.items.filter((e: { eventId: string | null }) => !isEvent(e));
    expect(rows).toContainEqual(expect.objectContaining({ action: 'service_requests.insert', aggregateId: li.body.id, tx: event.tx }));
    const byChen = await t.http('GET', '/audit?actor=agent-chen', { token: manager });
    expect(byChen.body.items.filter(isEvent).map((e: { aggregateId: string }) => e.aggregateId)).toEqual([chen.body.id]);
    expect(byChen.body.items.map((e: { aggregateId: string }) => e.aggregateId)).not.toContain(li.body.id);
  });
});
