import { deliver, requestReceived, TestService, tokenFor, upstreamEvent, waitFor } from '@aftersales/testing';
import { Recorded, registerEngineers, startCaseService } from './case-harness';

/** Seed 000 §4.5: a complaint is a case of its own, linked to the case complained about, answered by the owner's superior. */
describe('complaints (real PostgreSQL, in-process bus)', () => {
  let t: TestService;
  let events: Recorded;
  let admin: string;

  beforeAll(async () => {
    ({ t, events } = await startCaseService());
    admin = await tokenFor('admin');
    await registerEngineers(t, admin, [
      { id: 'boss', name: 'Regional Manager Qian', tier: 'L3', grade: 'technical-expert', region: 'north' },
      { id: 'hotline', name: 'Hotline Liu', tier: 'L1', grade: 'maintenance-engineer', region: 'north', superiorId: 'boss' },
      { id: 'senior-n', name: 'Senior Ma', tier: 'L2', grade: 'senior-engineer', senior: true, region: 'north' },
      { id: 'loner', name: 'Solo Guo', tier: 'L1', grade: 'maintenance-engineer', region: 'south' },
    ]);
  });
  afterAll(() => t.stop());

  async function open(over: Parameters<typeof requestReceived>[0] = {}) {
    const request = requestReceived({ severity: 'P3', ...over });
    await deliver(t.bus, upstreamEvent('intake.request.received.v1', request.requestId, request));
    return (await t.http('GET', `/cases?requestId=${request.requestId}`, { token: admin })).body.items[0];
  }

  it('opens a complaint linked to the case complained about and assigns it to the superior of its owner', async () => {
    const original = await open({ customerId: 'C-C1' });
    expect(original.assigneeId).toBe('hotline');
    const complaint = await open({
      customerId: 'C-C1',
      serviceMode: 'complaint',
      symptom: 'engineer never called back',
      complaintAbout: { caseNumber: original.caseNumber },
    });
    expect(complaint).toMatchObject({
      caseType: 'complaint',
      relatedCaseId: original.id,
      assigneeId: 'boss',
      status: 'assigned',
      serviceMode: 'complaint',
    });
    const opened = await waitFor('case.opened.v1', () => events.find((e) => e.type === 'case.opened.v1' && e.subject === complaint.id));
    expect(opened.data).toMatchObject({ caseType: 'complaint', relatedCaseId: original.id });
    const assigned = await waitFor('case.assigned.v1', () =>
      events.find((e) => e.type === 'case.assigned.v1' && e.subject === complaint.id),
    );
    expect((assigned.data as { reason: string }).reason).toMatch(/superior of Hotline Liu/);
    // the case complained about records it for staff
    const log = (await t.http('GET', `/cases/${original.id}/worklog`)).body.items;
    expect(log.some((e: { text: string }) => e.text.includes(`complaint ${complaint.caseNumber}`))).toBe(true);
    expect((await t.http('GET', `/cases?caseType=complaint`, { token: admin })).body.items.map((c: { id: string }) => c.id)).toContain(
      complaint.id,
    );
  });

  it('finds the case by id as well, and without a superior falls back to a senior engineer of the region', async () => {
    const original = await open({ customerId: 'C-C2' });
    await t.http('POST', `/cases/${original.id}/assignment`, { token: admin, body: { engineerId: 'senior-n', reason: 'on-site needed' } });
    const complaint = await open({ customerId: 'C-C2', serviceMode: 'complaint', complaintAbout: { caseId: original.id } });
    expect(complaint.relatedCaseId).toBe(original.id);
    // Senior Ma owns the case and has no superior; he does not answer a complaint about himself
    expect(complaint.assigneeId).toBe('boss');
  });

  it('does not link a complaint to another customer’s case', async () => {
    const theirs = await open({ customerId: 'C-THEM' });
    const complaint = await open({ customerId: 'C-US', serviceMode: 'complaint', complaintAbout: { caseId: theirs.id } });
    expect(complaint).toMatchObject({ caseType: 'complaint', relatedCaseId: null });
    const mine = await tokenFor('customer', { customerId: 'C-US' });
    expect((await t.http('GET', `/cases/${theirs.id}`, { token: mine })).status).toBe(404);
  });

  it('a P1 complaint still goes to the superior, not to the emergency expert', async () => {
    const original = await open({ customerId: 'C-C3' });
    const complaint = await open({
      customerId: 'C-C3',
      severity: 'P1',
      serviceMode: 'complaint',
      complaintAbout: { caseNumber: original.caseNumber },
    });
    expect(complaint.assigneeId).toBe('boss');
  });
});
