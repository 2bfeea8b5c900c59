import { InProcessBus } from '@aftersales/messaging';
import { deliver, recordTopic, startTestService, TestService, tokenFor, upstreamEvent, waitFor } from '@aftersales/testing';
import { randomUUID } from 'node:crypto';
import { notifyService } from '../src/notify.service-definition';

const rungReached = (caseId: string, over: Record<string, unknown> = {}) => ({
  clockId: randomUUID(),
  caseId,
  region: 'north',
  severity: 'P1' as const,
  policyId: 'ladder-b',
  policyVersion: 1,
  eventKey: 'rung:1',
  dueAt: new Date().toISOString(),
  firedAt: new Date().toISOString(),
  target: 'diagnosis',
  rungIndex: 1,
  afterMinutes: 60,
  label: '1h: Manager2 (服务交付中心总经理)',
  notifyRoles: ['manager2'],
  ...over,
});

describe('notify service: staff notices for rungs, warnings, breaches and major cases (real PostgreSQL)', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService(notifyService, { bus: new InProcessBus(), env: { NOTIFY_DEFAULT_LANGUAGE: 'en' } });
  });
  afterAll(() => t.stop());

  const staffNotices = async (caseId: string) => (await t.http('GET', `/notifications?caseId=${caseId}`, { role: 'manager' })).body.items;

  it('tells every holder of the rung role in the region on each of their channels, once per rung', async () => {
    for (const r of [
      { region: 'north', role: 'manager2', channel: 'email', address: 'wang.gm@example.com' },
      { region: 'north', role: 'manager2', channel: 'sms', address: '+8613800000001' },
      { region: 'south', role: 'manager2', channel: 'email', address: 'south.gm@example.com' },
    ]) {
      expect((await t.http('PUT', '/role-recipients', { role: 'admin', body: r })).status).toBe(200);
    }
    const caseId = randomUUID();
    const event = upstreamEvent('escalation.rung.reached.v1', caseId, rungReached(caseId));
    await deliver(t.bus, event);
    await deliver(t.bus, event); // redelivered: nobody is told twice
    const items = await staffNotices(caseId);
    expect(items.map((n: { channel: string; recipient: string }) => [n.channel, n.recipient]).sort()).toEqual([
      ['email', 'wang.gm@example.com'],
      ['sms', '+8613800000001'],
    ]);
    expect(items[0]).toMatchObject({ template: 'escalation-rung', role: 'manager2' });
    expect(items[0].subject).toContain('Manager2');

    // the next episode's rung (a reopened case) is a new notice, not a duplicate
    await deliver(t.bus, upstreamEvent('escalation.rung.reached.v1', caseId, rungReached(caseId)));
    expect(await staffNotices(caseId)).toHaveLength(4);
  });

  it('a role nobody holds still gets an in-app notice on its queue; customers never see staff notices', async () => {
    const caseId = randomUUID();
    await deliver(
      t.bus,
      upstreamEvent('escalation.rung.reached.v1', caseId, rungReached(caseId, { notifyRoles: ['vendor'], action: 'open-vendor-case' })),
    );
    const items = await staffNotices(caseId);
    expect(items).toEqual([expect.objectContaining({ channel: 'in-app', recipient: 'role:vendor@north', template: 'escalation-rung' })]);
    expect(items[0].body).toContain('upstream vendor');
    const asCustomer = await t.http('GET', `/notifications?caseId=${caseId}`, {
      token: await tokenFor('customer', { customerId: 'C-100' }),
    });
    expect(asCustomer.body.items).toHaveLength(0);
  });

  it('major cases reach the customer-service manager; breaches the owner and the delivery manager', async () => {
    const caseId = randomUUID();
    await deliver(
      t.bus,
      upstreamEvent('case.manager-informed.v1', caseId, {
        caseId,
        caseNumber: 'NORTH-2026-000009',
        region: 'north',
        customerId: 'C-100',
        severity: 'P1',
        expertId: 'E-7',
        expertName: 'Zhao Min',
        at: new Date().toISOString(),
      }),
    );
    const { clockId, policyId, policyVersion, dueAt, firedAt } = rungReached(caseId);
    await deliver(
      t.bus,
      upstreamEvent('escalation.target.breached.v1', caseId, {
        clockId,
        caseId,
        region: 'north',
        severity: 'P1',
        policyId,
        policyVersion,
        eventKey: 'breach:diagnosis',
        dueAt,
        firedAt,
        target: 'diagnosis',
      }),
    );
    const items = await staffNotices(caseId);
    expect(items.map((n: { template: string; recipient: string }) => [n.template, n.recipient]).sort()).toEqual([
      ['major-case', 'role:customer-service-manager@north'],
      ['sla-breach', 'role:case-owner@north'],
      ['sla-breach', 'role:service-delivery-manager@north'],
    ]);
  });

  it('publishes what it recorded keyed by the case id, so per-case order holds downstream', async () => {
    const seen = await recordTopic(t.bus, 'aftersales.notify.events.v1');
    const caseId = randomUUID();
    await deliver(t.bus, upstreamEvent('escalation.rung.reached.v1', caseId, rungReached(caseId, { notifyRoles: ['manager2', 'vendor'] })));
    const recorded = await waitFor('the recorded events', () => {
      const mine = seen.filter((e) => e.type === 'notify.notification.recorded.v1' && (e.data as { caseId?: string }).caseId === caseId);
      return mine.length === 3 ? mine : undefined;
    });
    expect(recorded.map((e) => e.subject)).toEqual([caseId, caseId, caseId]);
  });

  it('rejects a bad recipient naming the field; only admins change recipients', async () => {
    const bad = await t.http('PUT', '/role-recipients', {
      role: 'admin',
      body: { region: 'North Region', role: 'manager1', channel: 'fax', address: 'x' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['channel', 'region']);
    expect(
      (
        await t.http('PUT', '/role-recipients', {
          role: 'agent',
          body: { region: 'north', role: 'manager1', channel: 'sms', address: '1' },
        })
      ).status,
    ).toBe(403);
  });
});
