import { EventInput } from '@aftersales/contracts';
import { deliver, eventOf, requestReceived, TestService, tokenFor, upstreamEvent, waitFor, waitForHandled } from '@aftersales/testing';
import { randomUUID } from 'node:crypto';
import { registerEngineers, startCaseService } from './case-harness';

/** The case waits on parts while spares holds or carries them, and goes back to its work when the last one arrives. */
describe('case: waiting on parts from spares’ events (real PostgreSQL, over the bus)', () => {
  let t: TestService;
  let admin: string;
  beforeAll(async () => {
    ({ t } = await startCaseService({ env: { CASE_ASSIGN_RETRY_MS: '0' } }));
    admin = await tokenFor('admin');
    await registerEngineers(t, admin, [
      { id: 'eng-1', name: 'Zhang San', tier: 'L1', grade: 'maintenance-engineer', skills: ['storage'], region: 'north' },
    ]);
  });
  afterAll(() => t.stop());

  async function caseIn(status: string, reason?: string) {
    const request = requestReceived({ severity: 'P3', productLine: 'storage' });
    await deliver(t.bus, upstreamEvent('intake.request.received.v1', request.requestId, request));
    const c = await waitFor(
      'the case',
      async () => (await t.http('GET', `/cases?requestId=${request.requestId}`, { token: admin })).body.items?.[0],
    );
    if (status !== c.status)
      expect((await t.http('POST', `/cases/${c.id}/transitions`, { token: admin, body: { to: status, reason } })).status).toBe(200);
    return c.id as string;
  }
  const ref = (caseId: string, requestId = randomUUID()) => ({
    requestId,
    caseId,
    region: 'north',
    depotId: 'N-BJ',
    depotRegion: 'north',
    partNumber: 'HDD-4T',
    partClass: 'disk' as const,
    quantity: 1,
  });
  const at = new Date().toISOString();
  const actor = { subject: 'eng-1', role: 'engineer' };
  async function send<
    T extends 'spares.part.reserved.v1' | 'spares.part.delivered.v1' | 'spares.part.released.v1' | 'spares.delivery.late.v1',
  >(type: T, caseId: string, data: EventInput<T>) {
    const e = upstreamEvent(type, caseId, data as never);
    await deliver(t.bus, e);
    await waitForHandled(t, e.id);
  }
  const reserved = (caseId: string) =>
    send('spares.part.reserved.v1', caseId, { ...ref(caseId), neededBy: at, crossRegion: false, actor, at });
  const delivered = (caseId: string, outstandingForCase: number) =>
    send('spares.part.delivered.v1', caseId, { ...ref(caseId), neededBy: at, actor, at, late: false, outstandingForCase });
  const status = async (id: string) => (await t.http('GET', `/cases/${id}`, { token: admin })).body.status;
  const lastLog = async (id: string) => {
    const items = (await t.http('GET', `/cases/${id}/worklog?limit=200`, { token: admin })).body.items;
    return items[items.length - 1] as { text: string; kind: string; public: boolean };
  };

  it('waits from the first reservation to the last delivery, then goes back to the work it left', async () => {
    const id = await caseIn('on-site');
    await reserved(id);
    expect(await status(id)).toBe('waiting-parts');
    await reserved(id); // a second part: still waiting, logged
    expect(await lastLog(id)).toMatchObject({
      kind: 'system',
      public: false,
      text: expect.stringMatching(/^part reserved: 1 × HDD-4T from depot N-BJ/),
    });
    await delivered(id, 1);
    expect(await status(id)).toBe('waiting-parts');
    expect((await lastLog(id)).text).toBe('part delivered: 1 × HDD-4T; 1 more awaited');
    await delivered(id, 0);
    expect(await status(id)).toBe('on-site');
    expect((await lastLog(id)).text).toBe('status waiting-parts → on-site: part delivered: 1 × HDD-4T');
  });

  it('resumes remote work when the part it waited for is no longer awaited; from assigned it goes to in progress', async () => {
    const id = await caseIn('assigned');
    await reserved(id);
    expect(await status(id)).toBe('waiting-parts');
    await send('spares.part.released.v1', id, { ...ref(id), reason: 'fixed without it', outstandingForCase: 0, actor, at });
    expect(await status(id)).toBe('in-progress');
  });

  it('leaves a case waiting on the customer as it is, and only logs a late delivery', async () => {
    const id = await caseIn('waiting-customer', 'asked for the logs');
    await reserved(id);
    expect(await status(id)).toBe('waiting-customer');
    await send('spares.delivery.late.v1', id, {
      ...ref(id),
      neededBy: '2026-03-02T05:00:00.000Z',
      deliveredAt: '2026-03-02T06:30:00.000Z',
      lateMinutes: 90,
    });
    expect(await lastLog(id)).toMatchObject({
      kind: 'system',
      public: false,
      text: 'part delivered late: 1 × HDD-4T from depot N-BJ arrived 2026-03-02T06:30:00.000Z, 90 min after it was needed (2026-03-02T05:00:00.000Z)',
    });
    await delivered(id, 0);
    expect(await status(id)).toBe('waiting-customer');
  });

  it('ignores events about cases it does not hold', async () => {
    const ghost = randomUUID();
    const e = upstreamEvent('spares.part.reserved.v1', ghost, { ...ref(ghost), neededBy: at, crossRegion: false, actor, at });
    await deliver(t.bus, e);
    expect((await waitForHandled(t, eventOf('spares.part.reserved.v1', { caseId: ghost }))).outcome).toBe('handled');
  });
});
