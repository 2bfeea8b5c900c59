import { EventEnvelope } from '@aftersales/contracts';
import { DeadLetter, InProcessBus } from '@aftersales/messaging';
import { recordTopic, startTestService, TestService, tokenFor, waitFor } from '@aftersales/testing';
import { caseService } from '@aftersales/service-case';
import { escalationService } from '@aftersales/service-escalation';
import { intakeService } from '@aftersales/service-intake';
import { notifyService } from '@aftersales/service-notify';

/** A real 1×1 PNG, as a signature pad would send it (only smaller). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const MIN = 60_000;
const ERROR_CODE = 'E-RAID-0042';

interface Entry {
  id: string;
  kind: string;
  public: boolean;
  text: string;
  actor: { subject?: string; role: string };
}

/**
 * Issue 3's must-show P1 path, across four services on one in-process bus, every step through their APIs:
 * a phone call at the desk → the case goes at once to the senior second-line expert (manager informed, SLA
 * clock running) → on-site visit → diagnosed (ladder B's clock stopped) → vendor case → resolved (every clock
 * stopped) → signed service report → confirmed and closed → knowledge article published → offered to the next
 * call with the same error code.
 */
describe('a P1 from the hotline to the knowledge base (intake, case, escalation, notify; real PostgreSQL, one bus)', () => {
  let intake: TestService;
  let cs: TestService;
  let esc: TestService;
  let notify: TestService;
  let caseEvents: EventEnvelope[];
  const deadLetters: DeadLetter[] = [];

  // who takes part: the desk, the duty manager, the expert the case goes to, the field engineer, the customer's contact
  let admin: string;
  let agent: string;
  let manager: string;
  let expert: string;
  let fieldEngineer: string;
  let customer: string;
  let otherCustomer: string;

  // what the path carries from step to step
  let requestId: string;
  let c: { id: string; caseNumber: string; openedAt: string };
  let visitId: string;
  let reportId: string;
  let articleId: string;

  beforeAll(async () => {
    const bus = new InProcessBus({ retryBackoffMs: [10], onDeadLetter: (d) => void deadLetters.push(d) });
    caseEvents = await recordTopic(bus, 'aftersales.case.events.v1');
    [intake, cs, esc, notify] = await Promise.all([
      // the 15-minute hand-off sweep is not part of this path
      startTestService(intakeService, { bus, env: { INTAKE_HANDOFF_SWEEP_MS: '0' } }),
      startTestService(caseService, { bus }),
      startTestService(escalationService, { bus, env: { ESCALATION_FIRING_INTERVAL_MS: '50' } }),
      startTestService(notifyService, { bus }),
    ]);
    [admin, agent, manager, expert, fieldEngineer, customer, otherCustomer] = await Promise.all([
      tokenFor('admin', { sub: 'admin-1' }),
      tokenFor('agent', { sub: 'agent-li' }),
      tokenFor('manager', { sub: 'mgr-zhou' }),
      tokenFor('engineer', { sub: 'exp-wang' }),
      tokenFor('engineer', { sub: 'fe-zhao' }),
      tokenFor('customer', { customerId: 'C-NB', sub: 'contact-K-WANG' }),
      tokenFor('customer', { customerId: 'C-OTHER', sub: 'contact-K-OTHER' }),
    ]);

    // the registry as the desk and the contract admin keep it
    const created = async (svc: TestService, path: string, token: string, body: Record<string, unknown>) => {
      const res = await svc.http('POST', path, { token, body });
      expect({ path, status: res.status, body: res.body }).toMatchObject({ path, status: 201 });
    };
    await created(intake, '/customers', agent, { id: 'C-NB', name: 'North Bank' });
    await created(intake, '/sites', agent, { id: 'S-NB-DC', customerId: 'C-NB', name: 'North Bank data centre', city: 'Beijing' });
    await created(intake, '/contacts', agent, {
      id: 'K-WANG',
      customerId: 'C-NB',
      siteId: 'S-NB-DC',
      name: 'Wang Fang',
      phone: '+86 10 5555 0100',
      email: 'wang.fang@bank.example',
      designated: true,
    });
    await created(intake, '/contracts', admin, {
      id: 'K-NB-7x24',
      customerId: 'C-NB',
      coverage: '7x24',
      policyId: 'ladder-b',
      startsOn: '2026-01-01',
      endsOn: '2028-12-31',
    });
    await created(intake, '/assets', agent, {
      id: 'A-NB-1',
      customerId: 'C-NB',
      siteId: 'S-NB-DC',
      contractId: 'K-NB-7x24',
      model: 'OceanStor 5500',
      productLine: 'storage',
      serialNumber: 'SN-NB-0001',
      warrantyEndsOn: '2027-12-31',
    });

    // the engineer directory: one senior L3 expert among other second-line, hotline and field engineers
    for (const e of [
      { id: 'l3-sun', name: 'Sun Second', tier: 'L3', grade: 'system-engineer', region: 'north', skills: ['storage'] },
      { id: 'exp-wang', name: 'Wang Expert', tier: 'L3', grade: 'technical-expert', senior: true, region: 'north', skills: ['storage'] },
      { id: 'l1-li', name: 'Li Hotline', tier: 'L1', grade: 'product-engineer', region: 'north', skills: ['storage'] },
      { id: 'fe-zhao', name: 'Zhao Gang', tier: 'L2', grade: 'product-engineer', region: 'north', skills: ['storage'] },
    ]) {
      await created(cs, '/engineers', admin, e);
    }
  }, 60_000);

  /** Relays every outbox until all four are empty: each publish on the in-process bus returns once its consumers committed. */
  const settle = () =>
    waitFor('the bus to settle', async () => {
      const running = [intake, cs, esc, notify].filter(Boolean);
      for (const s of running) await s.service.runtime.relay.drain();
      const backlogs = await Promise.all(running.map((s) => s.service.runtime.relay.backlog()));
      return backlogs.every((b) => b.pending === 0);
    });

  afterAll(async () => {
    // quiet first, so no relay publishes to a service already stopped
    await settle().catch(() => undefined);
    for (const s of [intake, cs, esc, notify]) await s?.stop();
  });

  const caseEvent = (type: string, subject: string) =>
    waitFor(type, () => caseEvents.find((e) => e.type === type && e.subject === subject));
  const move = (token: string, to: string, reason?: string) =>
    cs.http('POST', `/cases/${c.id}/transitions`, { token, body: { to, ...(reason ? { reason } : {}) } });
  const caseStatus = async () => (await cs.http('GET', `/cases/${c.id}`, { token: manager })).body.status;
  /** the case's clock for a target: `ladder:diagnosis` (ladder B's clock), `onsite` or `downtime` */
  const clockOf = async (target = 'ladder:diagnosis') => {
    const res = await esc.http('GET', `/cases/${c.id}/timeline`, { token: manager });
    return res.status === 200 ? res.body.clocks.find((k: { target: string }) => k.target === target) : undefined;
  };
  const workLog = async (token: string): Promise<Entry[]> => {
    const res = await cs.http('GET', `/cases/${c.id}/worklog?limit=200`, { token });
    expect(res.status).toBe(200);
    return res.body.items;
  };
  const call = (over: Record<string, unknown> = {}) => ({
    contact: { name: 'Wang Fang', phone: '+86 10 5555-0100' }, // the caller's number as the agent types it
    channel: 'phone',
    symptom: 'Storage array down: RAID group offline, all LUNs lost, core banking stopped',
    impact: 'system-down',
    faultKind: 'hardware',
    serialNumber: 'SN-NB-0001',
    errorCodes: [ERROR_CODE],
    ...over,
  });

  it('files the call at the desk: caller → customer, serial → asset under warranty and 7x24 contract, system down → P1 on site', async () => {
    const res = await intake.http('POST', '/requests', { token: agent, body: call(), headers: { 'Idempotency-Key': 'p1-call-1' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      customerId: 'C-NB',
      contactId: 'K-WANG',
      siteId: 'S-NB-DC',
      assetId: 'A-NB-1',
      productModel: 'OceanStor 5500',
      productLine: 'storage',
      warranty: 'in-warranty',
      contract: { contractId: 'K-NB-7x24', coverage: '7x24', policyId: 'ladder-b' },
      severity: 'P1',
      suggestedSeverity: 'P1',
      serviceMode: 'on-site',
      errorCodes: [ERROR_CODE],
      suggestedArticles: [], // nothing known about this fault yet
    });
    requestId = res.body.id;
  });

  it('opens the case and gives it at once to the senior second-line expert; the manager is informed, the ladder-B clock runs', async () => {
    const opened = await waitFor('the case of the request', async () => {
      const res = await cs.http('GET', `/cases?requestId=${requestId}`, { token: agent });
      return res.body.items?.[0]?.status === 'assigned' ? res.body.items[0] : undefined;
    });
    expect(opened).toMatchObject({
      requestId,
      customerId: 'C-NB',
      severity: 'P1',
      assetId: 'A-NB-1',
      serialNumber: 'SN-NB-0001',
      productLine: 'storage',
      errorCodes: [ERROR_CODE],
      serviceMode: 'on-site',
      warranty: 'in-warranty',
      status: 'assigned',
      assigneeId: 'exp-wang',
      assigneeName: 'Wang Expert',
      tier: 'L3',
    });
    c = opened;

    const informed = await caseEvent('case.manager-informed.v1', c.id);
    expect(informed.data).toMatchObject({ caseId: c.id, caseNumber: c.caseNumber, severity: 'P1', expertId: 'exp-wang' });
    const assigned = await caseEvent('case.assigned.v1', c.id);
    expect(assigned.data).toMatchObject({ engineerId: 'exp-wang', tier: 'L3', actor: { role: 'system' } });

    // notify: the customer-service manager got a major-case notice
    const notice = await waitFor('the major-case notice', async () => {
      const res = await notify.http('GET', `/notifications?caseId=${c.id}`, { token: manager });
      return res.body.items?.find((n: { template: string }) => n.template === 'major-case');
    });
    expect(notice).toMatchObject({ role: 'customer-service-manager', caseId: c.id });
    expect(notice.subject).toContain(c.caseNumber);
    expect(notice.body).toContain('Wang Expert');

    // escalation: the contract's ladder B, around the clock, first rung (Manager1 / senior engineer) 10 minutes after opening
    const clock = await waitFor('the SLA clock', () => clockOf());
    expect(clock).toMatchObject({ state: 'running', policyId: 'ladder-b', severity: 'P1', calendarId: '7x24' });
    expect(new Date(clock.startedAt).getTime()).toBe(new Date(c.openedAt).getTime());
    const rung0 = clock.events.find((e: { key: string }) => e.key === 'rung:0');
    expect(rung0).toMatchObject({ status: 'pending', afterMinutes: 10, notifyRoles: ['manager1', 'senior-engineer'] });
    expect(new Date(rung0.dueAt).getTime()).toBe(new Date(c.openedAt).getTime() + 10 * MIN);

    // intake's request knows its case
    await waitFor('the case on the request', async () => {
      const r = (await intake.http('GET', `/requests/${requestId}`, { token: agent })).body;
      return r.caseId === c.id && r.caseNumber === c.caseNumber;
    });
  });

  it('dispatches the field engineer on site: arrival and work done, each a public work-log entry', async () => {
    const dispatched = await cs.http('POST', `/cases/${c.id}/visits`, {
      token: expert,
      body: { engineerId: 'fe-zhao', plannedArrivalAt: new Date(Date.now() + 30 * MIN).toISOString(), note: 'bring a spare controller' },
    });
    expect(dispatched.status).toBe(201);
    expect(dispatched.body).toMatchObject({ engineerId: 'fe-zhao', stage: 'planned' });
    visitId = dispatched.body.id;
    expect(await caseStatus()).toBe('on-site');

    const arrived = await cs.http('POST', `/cases/${c.id}/visits/${visitId}/arrival`, { token: fieldEngineer });
    expect(arrived.status).toBe(200);
    expect(arrived.body.stage).toBe('on-site');
    const completed = await cs.http('POST', `/cases/${c.id}/visits/${visitId}/completion`, {
      token: fieldEngineer,
      body: { workDone: 'Replaced RAID controller A, rebuilt the RAID group, LUNs back online' },
    });
    expect(completed.status).toBe(200);
    expect(completed.body.stage).toBe('completed');

    const visits = await waitFor('three visit events', () => {
      const seen = caseEvents.filter((e) => e.type === 'case.visit.updated.v1' && e.subject === c.id);
      return seen.length === 3 && seen;
    });
    expect(visits.map((e) => (e.data as { visitId: string }).visitId)).toEqual([visitId, visitId, visitId]);
  });

  it('the expert diagnoses the fault: the ladder-B clock (time to diagnosis) stops there, no rung after it; downtime runs on', async () => {
    const res = await cs.http('POST', `/cases/${c.id}/diagnosis`, {
      token: expert,
      body: { summary: 'RAID controller A failed (cache battery); controller firmware crash', errorCodes: [ERROR_CODE] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ first: true, episode: 1, errorCodes: [ERROR_CODE] });
    const announced = await caseEvent('case.diagnosed.v1', c.id);
    expect(announced.data).toMatchObject({ caseId: c.id, severity: 'P1', actor: { subject: 'exp-wang', role: 'engineer' } });

    const ladder = await waitFor('the ladder clock stopped at the diagnosis', async () => {
      const clock = await clockOf();
      return clock?.state === 'stopped' ? clock : undefined;
    });
    expect(ladder).toMatchObject({ measures: 'diagnosis', stopReason: 'diagnosed', stoppedAt: new Date(res.body.at).toISOString() });
    // diagnosed within minutes: Manager1 (10 min) and everything after it never come
    expect(ladder.events.map((e: { key: string; status: string }) => [e.key, e.status])).toEqual([
      ['warning:diagnosis', 'stopped'],
      ['breach:diagnosis', 'stopped'],
      ['rung:0', 'stopped'],
      ['rung:1', 'stopped'],
      ['rung:2', 'stopped'],
      ['rung:3', 'stopped'],
    ]);
    // the P1 under a 7x24 contract: its downtime (for the warranty extension) counts on to resolution
    expect(await clockOf('downtime')).toMatchObject({ state: 'running', events: [] });
  });

  it('opens the upstream vendor case and tracks its status', async () => {
    const opened = await cs.http('POST', `/cases/${c.id}/vendor-case`, {
      token: expert,
      body: { vendor: 'Huawei', vendorCaseNumber: 'HW-2026-0042' },
    });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ vendor: 'Huawei', vendorCaseNumber: 'HW-2026-0042', vendorStatus: 'open' });
    expect(await caseStatus()).toBe('vendor-case-open');

    const updated = await cs.http('PATCH', `/cases/${c.id}/vendor-case`, {
      token: expert,
      body: { vendorStatus: 'patch-provided', note: 'firmware 7.1.3 fixes the controller crash' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.history.map((h: { vendorStatus: string }) => h.vendorStatus)).toEqual(['open', 'patch-provided']);
    const seen = await waitFor('two vendor-case events', () => {
      const e = caseEvents.filter((x) => x.type === 'case.vendor-case.updated.v1' && x.subject === c.id);
      return e.length === 2 && e;
    });
    expect(seen.map((e) => (e.data as { vendorStatus: string }).vendorStatus)).toEqual(['open', 'patch-provided']);
  });

  it('resolves the case: every escalation clock has stopped', async () => {
    const resolved = await move(expert, 'resolved', 'Controller A replaced on site; vendor firmware 7.1.3 applied against the crash');
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved' });
    const downtime = await waitFor('the downtime clock stopped', async () => {
      const clock = await clockOf('downtime');
      return clock?.state === 'stopped' ? clock : undefined;
    });
    expect(downtime).toMatchObject({ stopReason: 'resolved', downtime: { warrantyDays: 1 } });
    // nothing is left to fire once the fault is fixed; the ladder stopped at the diagnosis, on-site at the arrival
    expect((await clockOf()).stopReason).toBe('diagnosed');
    expect(await clockOf('onsite')).toMatchObject({ state: 'stopped', stopReason: 'arrived' });
    const clocks = (await esc.http('GET', `/cases/${c.id}/timeline`, { token: manager })).body.clocks;
    expect(
      clocks.flatMap((k: { events: Array<{ status: string }> }) => k.events).filter((e: { status: string }) => e.status === 'pending'),
    ).toEqual([]);
  });

  it('will not close before the service report is signed by customer and engineer', async () => {
    const noReport = await move(manager, 'closed', 'customer confirmed by phone');
    expect(noReport.status).toBe(409);
    expect(noReport.body.message).toContain(`visit ${visitId} has no customer service report`);

    const report = await cs.http('POST', `/cases/${c.id}/visits/${visitId}/report`, {
      token: fieldEngineer,
      body: { diagnosis: 'RAID controller A failed (cache battery); controller firmware crash', customerName: 'Wang Fang' },
    });
    expect(report.status).toBe(201);
    expect(report.body).toMatchObject({
      status: 'awaiting-signatures',
      workDone: 'Replaced RAID controller A, rebuilt the RAID group, LUNs back online',
      engineerName: 'Zhao Gang',
    });
    reportId = report.body.id;
    const unsigned = await move(manager, 'closed', 'customer confirmed by phone');
    expect(unsigned.status).toBe(409);
    expect(unsigned.body.message).toContain(`report ${reportId}`);
    expect(await caseStatus()).toBe('resolved');
  });

  it('gets the report signed by the customer (image) and the visiting engineer (typed name), retrievable as a document', async () => {
    const base = `/cases/${c.id}/reports/${reportId}`;
    const form = new FormData();
    form.append('signature', new Blob([PNG], { type: 'image/png' }), 'signature.png');
    form.append('signerName', 'Wang Fang');
    const byCustomer = await fetch(`${cs.service.url}${base}/signatures/customer`, {
      method: 'POST',
      headers: { authorization: `Bearer ${customer}` },
      body: form,
    });
    expect(byCustomer.status).toBe(201);

    // the engineer's signature is the visiting engineer's own, not the case owner's
    const byOwner = await cs.http('POST', `${base}/signatures/engineer`, { token: expert, body: { typedName: 'Wang Expert' } });
    expect(byOwner.status).toBe(403);
    const byEngineer = await cs.http('POST', `${base}/signatures/engineer`, { token: fieldEngineer, body: { typedName: 'Zhao Gang' } });
    expect(byEngineer.status).toBe(201);
    expect(byEngineer.body).toMatchObject({ status: 'signed' });
    expect(byEngineer.body.signatures).toEqual([
      expect.objectContaining({ party: 'customer', method: 'image', signerName: 'Wang Fang' }),
      expect.objectContaining({ party: 'engineer', method: 'typed', signerName: 'Zhao Gang' }),
    ]);

    const signed = await caseEvent('case.service-report.signed.v1', c.id);
    expect(signed.data).toMatchObject({ caseId: c.id, customerId: 'C-NB', reportId, visitId });

    const doc = await fetch(`${cs.service.url}${base}/document`, { headers: { authorization: `Bearer ${customer}` } });
    expect(doc.status).toBe(200);
    expect(doc.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await doc.text();
    expect(html).toContain(c.caseNumber);
    expect(html).toContain(`data:image/png;base64,${PNG.toString('base64')}`);
    expect(html).toContain('Zhao Gang, typed name, signed');
  });

  it('the customer confirms, the desk closes; work log and history tell the whole story with who did what', async () => {
    const confirmed = await move(customer, 'confirmed');
    expect(confirmed.status).toBe(200);
    const closed = await move(agent, 'closed');
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed' });
    expect(closed.body.closedAt).not.toBeNull();

    const history = (await cs.http('GET', `/cases/${c.id}/history`, { token: manager })).body.items;
    expect(history.map((h: { from: string; to: string; actor: unknown }) => [h.from, h.to, h.actor])).toEqual([
      ['received', 'triaged', { subject: 'system:intake', role: 'system' }],
      ['triaged', 'assigned', { subject: expect.stringMatching(/^system/), role: 'system' }],
      ['assigned', 'on-site', { subject: 'exp-wang', role: 'engineer' }],
      ['on-site', 'vendor-case-open', { subject: 'exp-wang', role: 'engineer' }],
      ['vendor-case-open', 'resolved', { subject: 'exp-wang', role: 'engineer' }],
      ['resolved', 'confirmed', { subject: 'contact-K-WANG', role: 'customer' }],
      ['confirmed', 'closed', { subject: 'agent-li', role: 'agent' }],
    ]);
    for (const h of history) expect(Number.isNaN(new Date(h.at).getTime())).toBe(false);

    const staffLog = await workLog(manager);
    const kinds = new Set(staffLog.map((e) => e.kind));
    for (const k of ['status', 'assignment', 'visit', 'diagnosis', 'vendor', 'report']) expect(kinds).toContain(k);
    expect(staffLog.filter((e) => e.kind === 'visit').map((e) => e.text)).toEqual([
      expect.stringContaining('On-site visit dispatched: Zhao Gang (fe-zhao)'),
      expect.stringContaining('Engineer fe-zhao arrived on site'),
      expect.stringContaining('On-site work completed'),
    ]);
    expect(staffLog.some((e) => e.kind === 'vendor' && e.text.includes('HW-2026-0042'))).toBe(true);
    expect(staffLog.some((e) => !e.public)).toBe(true); // back-office entries exist ...

    // ... and the customer sees its own case, but only the public entries, without staff identities
    const own = await cs.http('GET', `/cases/${c.id}`, { token: customer });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: c.id, status: 'closed' });
    const customerLog = await workLog(customer);
    expect(customerLog.every((e) => e.public)).toBe(true);
    expect(customerLog.map((e) => e.id)).toEqual(staffLog.filter((e) => e.public).map((e) => e.id));
    expect(customerLog.every((e) => e.actor.subject === undefined)).toBe(true);
    const seenByCustomer = (await cs.http('GET', `/cases/${c.id}/history`, { token: customer })).body.items;
    expect(seenByCustomer.every((h: { actor: { subject?: string } }) => h.actor.subject === undefined)).toBe(true);
    // another customer learns nothing, not even that the case exists
    for (const path of [`/cases/${c.id}`, `/cases/${c.id}/worklog`, `/cases/${c.id}/history`, `/cases/${c.id}/reports/${reportId}`]) {
      expect({ path, status: (await cs.http('GET', path, { token: otherCustomer })).status }).toEqual({ path, status: 404 });
    }
    expect((await cs.http('GET', `/cases?requestId=${requestId}`, { token: otherCustomer })).body.items).toEqual([]);
  });

  it('turns the solution into a published knowledge article that intake offers by error code', async () => {
    const draft = await cs.http('POST', `/cases/${c.id}/knowledge-article`, { token: expert, body: {} });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({
      status: 'draft',
      version: 1,
      sourceCaseId: c.id,
      errorCodes: [ERROR_CODE],
      productLine: 'storage',
      author: 'exp-wang',
    });
    expect(draft.body.title).toContain(c.caseNumber);
    // the resolution given when the case was resolved is the article's solution
    expect(draft.body.solution).toContain('firmware 7.1.3');
    articleId = draft.body.id;

    const published = await cs.http('POST', `/knowledge/articles/${articleId}/publish`, { token: expert });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: 'published', version: 1, publishedBy: 'exp-wang' });
    const event = await caseEvent('case.knowledge.published.v1', articleId);
    expect(event.data).toMatchObject({ articleId, version: 1, sourceCaseId: c.id });

    const offered = await waitFor('the article at intake', async () => {
      const res = await intake.http('GET', `/knowledge/suggestions?errorCode=${ERROR_CODE}`, { token: agent });
      return res.body.items?.find((s: { articleId: string }) => s.articleId === articleId);
    });
    expect(offered).toMatchObject({ version: 1, matchedErrorCodes: [ERROR_CODE] });
    expect(offered.solution).toContain('firmware 7.1.3');
  });

  it('offers the article at a later call with the same error code, which (the case being closed) is a new request', async () => {
    await waitFor('intake knows the case is closed', async () => {
      const r = (await intake.http('GET', `/requests/${requestId}`, { token: agent })).body;
      return r.caseStatus === 'closed';
    });
    const later = await intake.http('POST', '/requests', {
      token: agent,
      body: call({ symptom: 'Array controller rebooting again, RAID degraded', errorCodes: ['e-raid-0042'] }),
    });
    expect(later.status).toBe(201);
    expect(later.body.linkedRequestId).toBeNull();
    expect(later.body.duplicateOf).toBeUndefined();
    expect(later.body.suggestedArticles[0]).toMatchObject({ articleId, matchedErrorCodes: [ERROR_CODE] });
    expect(later.body.suggestedArticles[0].title).toContain(c.caseNumber);

    // and the customer finds it in the portal by the code on its display
    const portal = await intake.http('GET', `/knowledge/suggestions?errorCode=${ERROR_CODE}`, { token: customer });
    expect(portal.status).toBe(200);
    expect(portal.body.items.map((s: { articleId: string }) => s.articleId)).toContain(articleId);

    // the new call opens a new case of its own
    const second = await waitFor('the second case', async () => {
      const res = await cs.http('GET', `/cases?requestId=${later.body.id}`, { token: agent });
      return res.body.items?.[0];
    });
    expect(second.id).not.toBe(c.id);
    expect(second).toMatchObject({ customerId: 'C-NB', assetId: 'A-NB-1', severity: 'P1' });

    // nothing on the bus was given up on along the way
    await settle();
    expect(deadLetters.map((d) => `${d.group} ${d.envelope.type}: ${d.error}`)).toEqual([]);
  });
});
