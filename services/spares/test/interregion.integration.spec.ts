import { EventEnvelope, Topics } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import {
  eventOf,
  mirrorInterregion,
  recordTopic,
  startTestService,
  TestService,
  tokenFor,
  waitFor,
  waitForHandled,
} from '@aftersales/testing';
// eslint-disable-next-line @nx/enforce-module-boundaries -- two regions' stacks: the real case service beside spares in each
import { caseService } from '@aftersales/service-case';
import { sparesService } from '../src/spares.service-definition';
import { openAssignedCase } from './open-case';

const HOUR = 3_600_000;
const MIRRORED_FROM_NORTH = `north.${Topics.interregionRequests}`;
const MIRRORED_FROM_SOUTH = `south.${Topics.interregionRequests}`;

/**
 * Issue 16 item 5: cross-region help between two regions that each run their own deployment —
 * their own bus, database schemas and REGION — joined only by the interregion topic, carried as
 * MirrorMaker 2 carries it (`<source>.aftersales.interregion.requests.v1`). The north asks the
 * south for a part and for an engineer; the south's manager answers; the part's journey and the
 * engineer's work come back to the north case. Redelivered interregion events change nothing.
 */
describe('cross-region help between two deployments over the interregion topic', () => {
  const clock = new ManualClock('2026-03-02T01:00:00Z');
  let caseN: TestService;
  let sparesN: TestService;
  let caseS: TestService;
  let sparesS: TestService;
  let fromNorth: EventEnvelope[];
  let fromSouth: EventEnvelope[];
  let admin: string;
  let northAgent: string;
  let northEngineer: string;
  let southManager: string;
  let southWarehouse: string;
  let southZhao: string;
  let caseId: string;

  beforeAll(async () => {
    const north = new InProcessBus({ retryBackoffMs: [10] });
    const south = new InProcessBus({ retryBackoffMs: [10] });
    await mirrorInterregion({ region: 'north', bus: north }, { region: 'south', bus: south });
    fromNorth = await recordTopic(south, MIRRORED_FROM_NORTH);
    fromSouth = await recordTopic(north, MIRRORED_FROM_SOUTH);
    const stack = (region: string, peer: string, bus: InProcessBus) =>
      Promise.all([
        startTestService(caseService, { bus, clock, region, env: { CASE_ASSIGN_RETRY_MS: '0', INTERREGION_PEERS: peer } }),
        startTestService(sparesService, { bus, clock, region, env: { SPARES_SWEEP_MS: '0', INTERREGION_PEERS: peer } }),
      ]);
    [[caseN, sparesN], [caseS, sparesS]] = await Promise.all([stack('north', 'south', north), stack('south', 'north', south)]);
    [admin, northAgent, northEngineer, southManager, southWarehouse, southZhao] = await Promise.all([
      tokenFor('admin', { sub: 'admin-1', global: true }),
      tokenFor('agent', { sub: 'agent-li', region: 'north' }),
      tokenFor('engineer', { sub: 'exp-wang', region: 'north' }),
      tokenFor('manager', { sub: 'mgr-south', region: 'south' }),
      tokenFor('engineer', { sub: 'wh-chen', region: 'south' }),
      tokenFor('engineer', { sub: 'eng-zhao', region: 'south' }),
    ]);
    const ok = async (svc: TestService, path: string, body: unknown) => {
      const res = await svc.http('POST', path, { token: admin, body });
      expect({ path, status: res.status, body: res.body }).toMatchObject({ path, status: 201 });
    };
    const engineer = { tier: 'L3', grade: 'technical-expert', senior: true, skills: ['storage'] };
    await ok(caseN, '/engineers', { ...engineer, id: 'exp-wang', name: 'Wang Expert', region: 'north' });
    await ok(caseS, '/engineers', { ...engineer, id: 'eng-zhao', name: 'Zhao', region: 'south' });
    const part = {
      partNumber: 'CTRL-5500',
      description: 'OceanStor 5500 controller board',
      partClass: 'controller',
      compatibleModels: ['OceanStor 5500'],
      unitCost: '1800.00',
      contractPrice: '2500.00',
    };
    await ok(sparesN, '/parts', part);
    await ok(sparesS, '/parts', part);
    await ok(sparesN, '/depots', { id: 'N-BJ', name: 'Beijing depot', region: 'north', home: true });
    await ok(sparesS, '/depots', { id: 'S-GZ', name: 'Guangzhou depot', region: 'south', home: true });
    await ok(sparesS, '/depots/S-GZ/stock-in', { partNumber: 'CTRL-5500', quantity: 2, reason: 'initial stock' });

    const c = await openAssignedCase(caseN, north, admin, {
      severity: 'P1',
      productLine: 'storage',
      receivedAt: clock.now().toISOString(),
    });
    caseId = c.id;
    expect((await caseN.http('POST', `/cases/${caseId}/transitions`, { token: northEngineer, body: { to: 'on-site' } })).status).toBe(200);
    await waitFor(
      'north spares to know the case',
      async () => (await sparesN.http('GET', `/cases/${caseId}`, { token: admin })).status === 200,
    );
  }, 120_000);

  afterAll(async () => {
    for (const s of [caseN, sparesN, caseS, sparesS]) await s?.service.runtime.relay.drain().catch(() => undefined);
    for (const s of [caseN, sparesN, caseS, sparesS]) await s?.stop();
  });

  const series = async (t: TestService, kind: string, outcome: string) => {
    const text = await (await fetch(`${t.service.url}/metrics`)).text();
    const head = `aftersales_interregion_requests_total{from_region="north",to_region="south",kind="${kind}",outcome="${outcome}",`;
    const line = text.split('\n').find((l) => l.startsWith(head));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  };
  const both = async (kind: string, outcome: string) =>
    kind === 'part'
      ? { north: await series(sparesN, kind, outcome), south: await series(sparesS, kind, outcome) }
      : { north: await series(caseN, kind, outcome), south: await series(caseS, kind, outcome) };
  const caseStatus = async () => (await caseN.http('GET', `/cases/${caseId}`, { token: admin })).body.status;
  const southStock = async () => (await sparesS.http('GET', '/depots/S-GZ/stock/CTRL-5500', { token: admin })).body;

  it('shows every region pair, kind and step at 0 on both sides before any help is asked', async () => {
    for (const outcome of ['requested', 'approved', 'declined', 'shipped', 'delivered']) {
      expect(await both('part', outcome)).toEqual({ north: 0, south: 0 });
    }
    for (const outcome of ['requested', 'approved', 'declined', 'worked', 'completed']) {
      expect(await both('engineer', outcome)).toEqual({ north: 0, south: 0 });
    }
  });

  let askId: string;
  let requestId: string;

  it('asks the south for a part: held at the south depot as a transfer awaiting the south manager', async () => {
    const res = await sparesN.http('POST', '/part-asks', {
      token: northEngineer,
      body: { caseId, toRegion: 'south', partNumber: 'CTRL-5500', quantity: 1 },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      side: 'asking',
      state: 'requested',
      neededBy: new Date(clock.now().getTime() + 4 * HOUR).toISOString(),
    });
    askId = res.body.id;
    await waitForHandled(sparesS, eventOf('spares.part-ask.requested.v1', { askId }));
    const asked = await sparesS.http('GET', `/part-asks/${askId}`, { token: southManager });
    expect(asked.body).toMatchObject({ side: 'asked', fromRegion: 'north', toRegion: 'south', state: 'requested', depotId: 'S-GZ' });
    requestId = asked.body.requestId;
    const transfer = await sparesS.http('GET', `/part-requests/${requestId}`, { token: southManager });
    expect(transfer.body).toMatchObject({ state: 'awaiting-approval', region: 'north', depotRegion: 'south', crossRegion: true });
    expect(await southStock()).toMatchObject({ onHand: 2, reserved: 1 });
    expect(await caseStatus()).toBe('on-site'); // held, not yet granted
    // the north has no such request in its own database
    expect((await sparesN.http('GET', `/part-requests/${requestId}`, { token: admin })).status).toBe(404);
  });

  it('the south manager approves: the north case waits on the part; shipped and delivered late, the case is back on site', async () => {
    clock.advance(10 * 60_000);
    const approved = await sparesS.http('POST', `/part-requests/${requestId}/approve`, {
      token: southManager,
      body: { reason: 'north has none' },
    });
    expect(approved.status).toBe(200);
    await waitForHandled(caseN, eventOf('spares.part.reserved.v1', { requestId: askId }));
    expect(await caseStatus()).toBe('waiting-parts');
    expect((await sparesN.http('GET', `/part-asks/${askId}`, { token: northAgent })).body).toMatchObject({
      state: 'approved',
      depotId: 'S-GZ',
    });

    expect((await sparesS.http('POST', `/part-requests/${requestId}/pick`, { token: southWarehouse })).status).toBe(200);
    const shipped = await sparesS.http('POST', `/part-requests/${requestId}/ship`, {
      token: southWarehouse,
      body: { carrier: 'SF Express', trackingNumber: 'SF1234567890' },
    });
    expect(shipped.status).toBe(200);
    clock.set(new Date(Date.parse('2026-03-02T06:00:00Z'))); // needed by 05:00
    expect((await sparesS.http('POST', `/part-requests/${requestId}/deliver`, { token: southWarehouse })).status).toBe(200);
    await waitForHandled(caseN, eventOf('spares.part.delivered.v1', { requestId: askId }));
    await waitForHandled(caseN, eventOf('spares.delivery.late.v1', { requestId: askId }));
    expect(await caseStatus()).toBe('on-site');
    expect((await sparesN.http('GET', `/part-asks/${askId}`, { token: northAgent })).body.state).toBe('delivered');
    const log = (await caseN.http('GET', `/cases/${caseId}/worklog?limit=200`, { token: admin })).body.items as Array<{ text: string }>;
    expect(log.map((e) => e.text)).toEqual(expect.arrayContaining([expect.stringMatching(/^part delivered late/)]));
    for (const outcome of ['requested', 'approved', 'shipped', 'delivered']) {
      expect({ outcome, ...(await both('part', outcome)) }).toEqual({ outcome, north: 1, south: 1 });
    }
  });

  it('applies a redelivered request or answer once: no second hold, no second wait', async () => {
    const request = fromNorth.find((e) => e.type === 'spares.part-ask.requested.v1' && (e.data as { askId: string }).askId === askId)!;
    const answer = fromSouth.find((e) => e.type === 'spares.part-ask.answered.v1' && (e.data as { askId: string }).askId === askId)!;
    await caseS.bus.publish(MIRRORED_FROM_NORTH, [request]);
    await caseN.bus.publish(MIRRORED_FROM_SOUTH, [answer]);
    await waitForHandled(sparesS, (e) => e.id === request.id, { outcomes: ['duplicate'] });
    await waitForHandled(sparesN, (e) => e.id === answer.id, { outcomes: ['duplicate'] });
    expect(await southStock()).toMatchObject({ onHand: 1, reserved: 0 });
    expect((await sparesS.http('GET', '/part-requests', { token: southManager })).body.total).toBe(1);
    expect(await caseStatus()).toBe('on-site');
    expect(await both('part', 'requested')).toEqual({ north: 1, south: 1 });
  });

  it('an ask the south cannot serve is declined at once, with the reason, and the case does not wait', async () => {
    const res = await sparesN.http('POST', '/part-asks', {
      token: northEngineer,
      body: { caseId, toRegion: 'south', partNumber: 'CTRL-5500', quantity: 5 },
    });
    expect(res.status).toBe(201);
    await waitForHandled(sparesN, eventOf('spares.part-ask.answered.v1', { askId: res.body.id }));
    const declined = (await sparesN.http('GET', `/part-asks/${res.body.id}`, { token: northAgent })).body;
    expect(declined).toMatchObject({ state: 'declined', reason: expect.stringMatching(/out of stock/) });
    expect(await southStock()).toMatchObject({ onHand: 1, reserved: 0 });
    expect(await caseStatus()).toBe('on-site');
    expect(await both('part', 'declined')).toEqual({ north: 1, south: 1 });
  });

  it('an approved part the south withdraws before delivery no longer holds the north case', async () => {
    const res = await sparesN.http('POST', '/part-asks', {
      token: northEngineer,
      body: { caseId, toRegion: 'south', partNumber: 'CTRL-5500', quantity: 1 },
    });
    const id = res.body.id;
    await waitForHandled(sparesS, eventOf('spares.part-ask.requested.v1', { askId: id }));
    const held = (await sparesS.http('GET', `/part-asks/${id}`, { token: southManager })).body;
    expect((await sparesS.http('POST', `/part-requests/${held.requestId}/approve`, { token: southManager, body: {} })).status).toBe(200);
    await waitForHandled(caseN, eventOf('spares.part.reserved.v1', { requestId: id }));
    expect(await caseStatus()).toBe('waiting-parts');

    const cancelled = await sparesS.http('POST', `/part-requests/${held.requestId}/cancel`, {
      token: southManager,
      body: { reason: 'the unit failed its test' },
    });
    expect(cancelled.status).toBe(200);
    await waitForHandled(caseN, eventOf('spares.part.released.v1', { requestId: id }));
    expect(await caseStatus()).toBe('on-site');
    expect((await sparesN.http('GET', `/part-asks/${id}`, { token: northAgent })).body).toMatchObject({
      state: 'declined',
      reason: 'the unit failed its test',
    });
    expect(await southStock()).toMatchObject({ onHand: 1, reserved: 0 });
  });

  it('rejects an ask of the case’s own region, naming the field', async () => {
    const res = await sparesN.http('POST', '/part-asks', {
      token: northEngineer,
      body: { caseId, toRegion: 'north', partNumber: 'CTRL-5500', quantity: 1 },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'toRegion' })]);
  });

  it('borrows a south engineer: the south manager lends Zhao, who owns the north case and whose work reaches its log', async () => {
    const asked = await caseN.http('POST', '/engineer-loans', {
      token: northAgent,
      body: { caseId, toRegion: 'south', summary: 'controller replaced, array still degraded: need a storage expert' },
    });
    expect(asked.status).toBe(201);
    const loanId = asked.body.id;
    await waitForHandled(caseS, eventOf('case.loan.requested.v1', { askId: loanId }));
    // only the lending region answers: the north has no lending side of this loan
    expect((await caseN.http('POST', `/engineer-loans/${loanId}/approve`, { token: admin, body: { engineerId: 'exp-wang' } })).status).toBe(
      404,
    );
    const bad = await caseS.http('POST', `/engineer-loans/${loanId}/approve`, { token: southManager, body: { engineerId: 'exp-wang' } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'engineerId' })]);

    const lent = await caseS.http('POST', `/engineer-loans/${loanId}/approve`, { token: southManager, body: { engineerId: 'eng-zhao' } });
    expect(lent.body).toMatchObject({ side: 'lending', state: 'approved', engineerId: 'eng-zhao' });
    expect((await caseS.http('POST', `/engineer-loans/${loanId}/decline`, { token: southManager, body: { reason: 'x' } })).status).toBe(
      409,
    );
    await waitForHandled(caseN, eventOf('case.loan.answered.v1', { askId: loanId }));
    expect((await caseN.http('GET', `/cases/${caseId}`, { token: admin })).body).toMatchObject({
      assigneeId: 'south:eng-zhao',
      assigneeName: 'Zhao (south)',
    });

    // another south engineer may not write as Zhao; Zhao records the work in the south
    const notZhao = await caseS.http('POST', `/engineer-loans/${loanId}/worklog`, { token: southWarehouse, body: { text: 'x' } });
    expect(notZhao.status).toBe(403);
    const worked = await caseS.http('POST', `/engineer-loans/${loanId}/worklog`, {
      token: southZhao,
      body: { text: 'rebuilt the RAID group, array healthy', minutes: 90, done: true },
    });
    expect(worked.body).toMatchObject({ state: 'completed', workedMinutes: 90 });
    await waitForHandled(caseN, eventOf('case.loan.worked.v1', { askId: loanId }));
    const log = (await caseN.http('GET', `/cases/${caseId}/worklog?limit=200`, { token: admin })).body.items as Array<{ text: string }>;
    expect(log.map((e) => e.text)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^assigned to Zhao \(south\)/),
        'Zhao (south, on loan), 90 min: rebuilt the RAID group, array healthy',
      ]),
    );
    expect((await caseN.http('GET', `/engineer-loans/${loanId}`, { token: northAgent })).body).toMatchObject({
      side: 'asking',
      state: 'completed',
      workedMinutes: 90,
    });
    for (const outcome of ['requested', 'approved', 'completed']) {
      expect({ outcome, ...(await both('engineer', outcome)) }).toEqual({ outcome, north: 1, south: 1 });
    }
    // the work travelled once: a redelivery adds nothing
    const work = fromSouth.find((e) => e.type === 'case.loan.worked.v1')!;
    await caseN.bus.publish(MIRRORED_FROM_SOUTH, [work]);
    await waitForHandled(caseN, (e) => e.id === work.id, { outcomes: ['duplicate'] });
    const again = (await caseN.http('GET', `/cases/${caseId}/worklog?limit=200`, { token: admin })).body.items as Array<{ text: string }>;
    expect(again.filter((e) => e.text.includes('rebuilt the RAID group'))).toHaveLength(1);
  });
});
