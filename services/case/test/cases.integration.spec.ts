import { InProcessBus } from '@aftersales/messaging';
import { deliver, requestReceived, TestService, tokenFor, upstreamEvent, waitFor } from '@aftersales/testing';
import { Recorded, startCaseService } from './case-harness';

describe('case service: opens a case per service request (real PostgreSQL, in-process bus)', () => {
  let t: TestService;
  let caseEvents: Recorded;
  beforeAll(async () => {
    ({ t, events: caseEvents } = await startCaseService());
  });
  afterAll(() => t.stop());

  const casesFor = async (requestId: string) => (await t.http('GET', `/cases?requestId=${requestId}`)).body.items;

  it('opens one case from intake.request.received.v1 and announces it with case.opened.v1', async () => {
    const request = requestReceived({ severity: 'P1' });
    const event = upstreamEvent('intake.request.received.v1', request.requestId, request);
    await deliver(t.bus, event);
    const [opened] = await casesFor(request.requestId);
    expect(opened).toMatchObject({
      requestId: request.requestId,
      customerId: 'C-100',
      severity: 'P1',
      // intake triaged it; with no engineers in the directory nobody can be assigned
      status: 'triaged',
      region: 'north',
    });
    expect(opened.caseNumber).toMatch(/^NORTH-\d{4}-\d{6}$/);
    const announced = await waitFor('case.opened.v1', () => caseEvents.find((e) => e.subject === opened.id));
    expect(announced).toMatchObject({ type: 'case.opened.v1', causationId: event.id, correlationId: event.id });
    expect(announced.data).toMatchObject({
      caseId: opened.id,
      caseNumber: opened.caseNumber,
      requestId: request.requestId,
      severity: 'P1',
    });
  });

  it('keeps what intake knew (asset, product, service mode, warranty, contract, error codes) on the case and on case.opened.v1', async () => {
    const request = requestReceived({
      severity: 'P3',
      assetId: 'A-9',
      productLine: 'storage',
      productModel: 'OceanStor 5500',
      serviceMode: 'on-site',
      warranty: 'under-contract',
      contract: { contractId: 'K-1', coverage: '7x24', calendarId: 'cal-north', warrantyEndsOn: '2027-03-31' },
      errorCodes: ['E42', 'E17'],
    });
    await deliver(t.bus, upstreamEvent('intake.request.received.v1', request.requestId, request));
    const [opened] = await casesFor(request.requestId);
    const facts = {
      caseType: 'incident',
      assetId: 'A-9',
      productLine: 'storage',
      productModel: 'OceanStor 5500',
      serviceMode: 'on-site',
      warranty: 'under-contract',
      contract: request.contract,
      errorCodes: ['E42', 'E17'],
    };
    expect(opened).toMatchObject({ ...facts, status: 'triaged', triagedAt: expect.any(String) });
    const announced = await waitFor('case.opened.v1', () => caseEvents.find((e) => e.subject === opened.id && e.type === 'case.opened.v1'));
    expect(announced.data).toMatchObject({ ...facts, channel: 'phone' });
    const history = (await t.http('GET', `/cases/${opened.id}/history`)).body.items;
    expect(history).toEqual([
      expect.objectContaining({ from: 'received', to: 'triaged', actor: { subject: 'system:intake', role: 'system' } }),
    ]);
  });

  it('makes one case, and one case.opened.v1, however often the request event is redelivered', async () => {
    const request = requestReceived();
    const event = upstreamEvent('intake.request.received.v1', request.requestId, request);
    await Promise.all([deliver(t.bus, event), deliver(t.bus, event), deliver(t.bus, event)]);
    await deliver(t.bus, event);
    const cases = await casesFor(request.requestId);
    expect(cases).toHaveLength(1);
    await t.service.runtime.relay.drain();
    expect(caseEvents.filter((e) => e.subject === cases[0].id && e.type === 'case.opened.v1')).toHaveLength(1);
  });

  it('dead-letters an event whose data breaks the contract, opening nothing', async () => {
    const bus = t.bus as InProcessBus;
    const broken = upstreamEvent('intake.request.received.v1', 'x', { ...requestReceived(), severity: 'P9' as 'P1' });
    await deliver(bus, broken);
    expect(bus.deadLetters.map((d) => d.envelope.id)).toContain(broken.id);
    expect(bus.deadLetters.find((d) => d.envelope.id === broken.id)!.error).toMatch(/severity/);
    expect(await casesFor(broken.data.requestId)).toHaveLength(0);
  });

  it('shows a customer its own cases only: another customer gets 404, not 403', async () => {
    const request = requestReceived({ customerId: 'C-777' });
    await deliver(t.bus, upstreamEvent('intake.request.received.v1', request.requestId, request));
    const [opened] = await casesFor(request.requestId);
    const owner = await tokenFor('customer', { customerId: 'C-777' });
    const stranger = await tokenFor('customer', { customerId: 'C-778' });
    expect((await t.http('GET', `/cases/${opened.id}`, { token: owner })).status).toBe(200);
    expect((await t.http('GET', `/cases/${opened.id}`, { token: stranger })).status).toBe(404);
    expect((await t.http('GET', `/cases?requestId=${request.requestId}`, { token: stranger })).body.items).toEqual([]);
    expect((await t.http('GET', '/cases/not-a-uuid')).status).toBe(400);
  });
});
