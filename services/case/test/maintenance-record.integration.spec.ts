import { EventEnvelope } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import {
  deliver,
  recordTopic,
  requestReceived,
  startTestService,
  TestService,
  tokenFor,
  upstreamEvent,
  waitFor,
} from '@aftersales/testing';
import { randomUUID } from 'node:crypto';
import { caseService } from '../src/case.service-definition';

const K_NB = { contractId: 'K-NB', coverage: '7x24' as const };
const MARCH = { from: '2026-02-28T16:00:00.000Z', to: '2026-03-31T16:00:00.000Z' }; // March in Asia/Shanghai

/**
 * Issue 15: a month of activity on a contract makes its monthly maintenance record with the right
 * counts — cases opened by severity, complaints, resolutions on site and remote, visits,
 * inspections and remote checks signed (with their failed items), parts installed, cases still
 * open at the month's end — leaving out the month before and after and the other contract; then
 * it is reviewed, sent to the customer through notify, archived. Real PostgreSQL, over the bus.
 */
describe('monthly maintenance record of a contract (case service, over the bus)', () => {
  const clock = new ManualClock('2026-02-20T02:00:00Z');
  let t: TestService;
  let caseEvents: EventEnvelope[];
  let admin: string;
  let engineer: string;
  let manager: string;
  let customer: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const bus = new InProcessBus({ retryBackoffMs: [10] });
    caseEvents = await recordTopic(bus, 'aftersales.case.events.v1');
    t = await startTestService(caseService, { bus, clock, env: { CASE_ASSIGN_RETRY_MS: '0' } });
    [admin, engineer, manager, customer] = await Promise.all([
      tokenFor('admin'),
      tokenFor('engineer', { sub: 'hl-zhou' }),
      tokenFor('manager', { sub: 'mgr-north' }),
      tokenFor('customer', { customerId: 'C-NB', sub: 'contact-wang' }),
    ]);
    for (const e of [
      { id: 'hl-zhou', name: 'Zhou Hotline', tier: 'L1', grade: 'maintenance-engineer', region: 'north', skills: ['storage'] },
      { id: 'exp-wang', name: 'Wang Expert', tier: 'L3', grade: 'technical-expert', senior: true, region: 'north', skills: ['storage'] },
    ]) {
      expect((await t.http('POST', '/engineers', { token: admin, body: e })).status).toBe(201);
    }
  }, 60_000);
  afterAll(() => t.stop());

  const at = (iso: string) => clock.set(iso);
  async function open(name: string, severity: 'P1' | 'P2' | 'P3', contract = K_NB, serviceMode?: 'complaint') {
    const r = requestReceived({
      customerId: 'C-NB',
      severity,
      contract,
      receivedAt: clock.now().toISOString(),
      ...(serviceMode ? { serviceMode } : {}),
    });
    await deliver(t.bus, upstreamEvent('intake.request.received.v1', r.requestId, r));
    const c = await waitFor(
      `case ${name}`,
      async () => (await t.http('GET', `/cases?requestId=${r.requestId}`, { token: admin })).body.items?.[0],
    );
    ids[name] = c.id;
    return c.id as string;
  }
  const move = async (name: string, to: string, token = engineer) => {
    const r = await t.http('POST', `/cases/${ids[name]}/transitions`, { token, body: { to } });
    expect({ name, to, status: r.status }).toEqual({ name, to, status: 200 });
  };
  async function inspection(kind: 'on-site' | 'remote', scheduledFor: string, results: string[]) {
    const occurrenceId = randomUUID();
    const checklist = results.map((_, i) => ({ itemId: `A-1:item${i}`, assetId: 'A-1', model: 'OceanStor 5500', text: `check ${i}` }));
    await deliver(
      t.bus,
      upstreamEvent('intake.inspection.due.v1', 'K-NB', {
        occurrenceId,
        planId: randomUUID(),
        contractId: 'K-NB',
        customerId: 'C-NB',
        region: 'north',
        siteId: 'S-NB-DC',
        kind,
        contact: { name: 'Wang Fang' },
        contract: K_NB,
        assets: [{ assetId: 'A-1', model: 'OceanStor 5500', serialNumber: 'SN-NB-1' }],
        checklist,
        scheduledFor,
        dueBy: new Date(Date.parse(scheduledFor) + 10 * 86_400_000).toISOString(),
      }),
    );
    await waitFor('the work order', async () => (await t.http('GET', `/inspections/${occurrenceId}`, { token: admin })).status === 200);
    for (const [i, result] of results.entries()) {
      await t.http('PUT', `/inspections/${occurrenceId}/items/A-1:item${i}`, { token: engineer, body: { result } });
    }
    await t.http('POST', `/inspections/${occurrenceId}/report/signatures/engineer`, { token: engineer, body: { typedName: 'Zhou' } });
    const s = await t.http('POST', `/inspections/${occurrenceId}/report/signatures/customer`, {
      token: customer,
      body: { typedName: 'Wang Fang' },
    });
    expect(s.body.status).toBe('signed');
  }
  const installed = (name: string, quantity: number) => {
    const requestId = randomUUID();
    const caseId = ids[name];
    if (caseId === undefined) throw new Error(`no case ${name} opened yet`);
    return deliver(
      t.bus,
      upstreamEvent('spares.part.installed.v1', caseId, {
        requestId,
        caseId,
        region: 'north',
        depotId: 'N-BJ',
        depotRegion: 'north',
        partNumber: 'HDD-4T',
        partClass: 'disk',
        quantity,
        neededBy: clock.now().toISOString(),
        actor: { subject: 'hl-zhou', role: 'engineer' },
        at: clock.now().toISOString(),
      }),
    );
  };

  it('a month of activity makes the record with the right counts', async () => {
    at('2026-02-20T02:00:00Z'); // February: E opened, resolved in March
    await open('E', 'P2');
    at('2026-03-02T02:00:00Z');
    await open('A', 'P1');
    at('2026-03-03T02:00:00Z');
    await move('A', 'in-progress', await tokenFor('engineer', { sub: 'exp-wang' }));
    await move('A', 'resolved', await tokenFor('engineer', { sub: 'exp-wang' }));
    at('2026-03-04T02:00:00Z');
    await move('E', 'in-progress', await tokenFor('engineer', { sub: 'exp-wang' }));
    await move('E', 'resolved', await tokenFor('engineer', { sub: 'exp-wang' }));
    at('2026-03-05T02:00:00Z');
    await open('B', 'P3');
    at('2026-03-06T01:00:00Z');
    await move('B', 'on-site');
    const visit = await t.http('POST', `/cases/${ids.B}/visits`, {
      token: engineer,
      body: { engineerId: 'hl-zhou', plannedArrivalAt: '2026-03-06T02:00:00Z' },
    });
    expect(visit.status).toBe(201);
    at('2026-03-06T02:00:00Z');
    await t.http('POST', `/cases/${ids.B}/visits/${visit.body.id}/arrival`, { token: engineer, body: {} });
    at('2026-03-06T04:00:00Z');
    await installed('B', 2);
    await t.http('POST', `/cases/${ids.B}/visits/${visit.body.id}/completion`, {
      token: engineer,
      body: { workDone: 'two disks replaced' },
    });
    await move('B', 'resolved');
    at('2026-03-07T02:00:00Z');
    await open('F', 'P3', { contractId: 'K-OTHER', coverage: '7x24' });
    await installed('F', 1);
    at('2026-03-10T02:00:00Z');
    await open('C', 'P3');
    at('2026-03-12T02:00:00Z');
    await open('D', 'P3', K_NB, 'complaint');
    at('2026-03-16T01:00:00Z');
    await inspection('on-site', '2026-03-16T01:00:00.000Z', ['pass', 'fail', 'pass']);
    at('2026-03-20T01:00:00Z');
    await inspection('remote', '2026-03-20T01:00:00.000Z', ['pass', 'pass']);
    at('2026-04-01T02:00:00Z'); // April: not in the record
    await open('G', 'P1');

    const occurrenceId = randomUUID();
    const monthEnd = upstreamEvent('intake.maintenance-record.due.v1', 'K-NB', {
      occurrenceId,
      contractId: 'K-NB',
      customerId: 'C-NB',
      region: 'north',
      month: '2026-03',
      ...MARCH,
      contact: { name: 'Wang Fang', email: 'wang@bank.example' },
    });
    await deliver(t.bus, monthEnd);
    const record = (await t.http('GET', `/maintenance-records/${occurrenceId}`, { token: customer })).body;
    expect(record).toMatchObject({ contractId: 'K-NB', month: '2026-03', status: 'draft' });
    expect(record.counts).toEqual({
      casesOpened: 3, // A, B, C (E opened in February, F is another contract's, G in April)
      p1: 1,
      p2: 0,
      p3: 2,
      p4: 0,
      complaints: 1, // D
      casesResolved: 3, // A and E remotely, B on site
      onSiteVisits: 1,
      remoteSessions: 3, // A, E, and the remote check
      inspectionsDone: 1,
      remoteChecksDone: 1,
      inspectionItemsFailed: 1,
      inspectionsOverdue: 0,
      partsUsed: 2, // on B; F's disk is another contract's
      casesStillOpen: 2, // C and the complaint D
    });
    const csv = await t.http('GET', `/maintenance-records/${occurrenceId}?format=csv`, { token: manager });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.body).toContain('count,partsUsed,2,');
    expect(csv.body).toContain('part,HDD-4T,2,');

    // a redelivered month end, or a second one for the same month, makes nothing twice
    await deliver(t.bus, monthEnd);
    await deliver(t.bus, { ...monthEnd, id: randomUUID(), data: { ...monthEnd.data, occurrenceId: randomUUID() } });
    expect((await t.http('GET', '/maintenance-records?contractId=K-NB', { token: admin })).body.total).toBe(1);
  });

  it('is reviewed, sent to the customer through notify, and archived, in that order', async () => {
    const [record] = (await t.http('GET', '/maintenance-records?month=2026-03', { token: manager })).body.items;
    const post = (action: string, token = manager) => t.http('POST', `/maintenance-records/${record.id}/${action}`, { token });
    expect((await post('send')).status).toBe(409);
    expect((await post('review', customer)).status).toBe(404);
    expect((await post('review')).body).toMatchObject({ status: 'reviewed', reviewedBy: 'mgr-north' });
    expect((await post('send')).body.status).toBe('sent');
    const sent = await waitFor('the record announced', () => caseEvents.find((e) => e.type === 'case.maintenance-record.sent.v1'));
    expect(sent.data).toMatchObject({
      contractId: 'K-NB',
      month: '2026-03',
      contact: { email: 'wang@bank.example' },
      counts: { partsUsed: 2 },
    });
    expect((await post('archive')).body.status).toBe('archived');
    expect((await post('archive')).status).toBe(409);
    const other = await tokenFor('customer', { customerId: 'C-OTHER' });
    expect((await t.http('GET', `/maintenance-records/${record.id}`, { token: other })).status).toBe(404);
    expect((await t.http('GET', '/maintenance-records?month=2026-13', { token: manager })).status).toBe(400);
  });
});
