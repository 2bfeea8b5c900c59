import { randomUUID } from 'node:crypto';
import { deliver, eventOf, requestReceived, TestService, tokenFor, upstreamEvent, waitForHandled } from '@aftersales/testing';
import { registerEngineers, startCaseService } from './case-harness';

/** Domain §8: a satisfaction callback that ends in a complaint opens a complaint case over the bus. */
describe('complaints from survey callbacks (real PostgreSQL, in-process bus)', () => {
  let t: TestService;
  let admin: string;
  beforeAll(async () => {
    ({ t } = await startCaseService());
    admin = await tokenFor('admin');
    await registerEngineers(t, admin, [
      { id: 'boss', name: 'Regional Manager Qian', tier: 'L3', grade: 'technical-expert', region: 'north' },
      { id: 'hotline', name: 'Hotline Liu', tier: 'L1', grade: 'maintenance-engineer', region: 'north', superiorId: 'boss' },
    ]);
  });
  afterAll(() => t.stop());

  it('opens one complaint about the surveyed case, assigned to the superior of its owner, with the callback as request', async () => {
    const request = requestReceived({ severity: 'P3', customerId: 'C-SV' });
    await deliver(t.bus, upstreamEvent('intake.request.received.v1', request.requestId, request));
    const [original] = (await t.http('GET', `/cases?requestId=${request.requestId}`, { token: admin })).body.items;
    expect(original.assigneeId).toBe('hotline');

    const callbackId = randomUUID();
    const complaint = upstreamEvent('survey.complaint.requested.v1', original.id, {
      callbackId,
      surveyId: randomUUID(),
      caseId: original.id,
      caseNumber: original.caseNumber,
      region: 'north',
      customerId: 'C-SV',
      contact: { name: 'Li Wei', phone: '+86 10 5555 0100' },
      severity: 'P3',
      symptom: 'engineer was rude on the phone',
      requestedAt: new Date().toISOString(),
    });
    await deliver(t.bus, complaint);
    await deliver(t.bus, complaint); // redelivered: still one complaint
    await waitForHandled(t, eventOf('survey.complaint.requested.v1', { callbackId }));

    const complaints = (await t.http('GET', '/cases?caseType=complaint', { token: admin })).body.items;
    expect(complaints).toEqual([
      expect.objectContaining({
        requestId: callbackId,
        relatedCaseId: original.id,
        customerId: 'C-SV',
        serviceMode: 'complaint',
        assigneeId: 'boss',
        symptom: 'engineer was rude on the phone',
      }),
    ]);
    const log = (await t.http('GET', `/cases/${original.id}/worklog`, { token: admin })).body.items;
    expect(log.some((e: { text: string }) => e.text.includes(`complaint ${complaints[0].caseNumber}`))).toBe(true);
  });
});
