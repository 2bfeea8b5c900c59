import { randomUUID } from 'node:crypto';
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
import { caseService } from '../src/case.service-definition';

/** A real 1×1 PNG, as a signature pad would send it (only smaller). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('case field work: on-site visits, signed service reports, vendor cases (real PostgreSQL, in-process bus)', () => {
  let t: TestService;
  let events: Awaited<ReturnType<typeof recordTopic>>;
  const clock = new ManualClock('2026-05-04T08:00:00Z');

  beforeAll(async () => {
    const bus = new InProcessBus({ retryBackoffMs: [10] });
    events = await recordTopic(bus, 'aftersales.case.events.v1');
    t = await startTestService(caseService, { bus, clock });
    for (const e of [
      { id: 'E-7', name: 'Zhao Gang', tier: 'L2', grade: 'product-engineer', region: 'north' },
      { id: 'E-8', name: 'Sun Li', tier: 'L2', grade: 'maintenance-engineer', region: 'north', active: false },
    ]) {
      const res = await t.http('POST', '/engineers', { body: e, role: 'admin' });
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => t.stop());

  const customer = (customerId = 'C-100') => tokenFor('customer', { customerId, sub: `contact-of-${customerId}` });
  const engineer = () => tokenFor('engineer', { sub: 'E-7' });

  /** A case as intake opens it (triaged there), owned by field engineer E-7 through the assignment API. */
  async function openCase(customerId = 'C-100') {
    const request = requestReceived({ customerId, receivedAt: clock.now().toISOString() });
    await deliver(t.bus, upstreamEvent('intake.request.received.v1', request.requestId, request));
    const [opened] = (await t.http('GET', `/cases?requestId=${request.requestId}`)).body.items;
    const assigned = await t.http('POST', `/cases/${opened.id}/assignment`, { body: { engineerId: 'E-7', reason: 'on-site work' } });
    expect(assigned.status).toBe(200);
    expect(await status(opened.id)).toBe('assigned');
    return opened as { id: string; caseNumber: string };
  }

  async function walk(caseId: string, statuses: string[]) {
    for (const to of statuses) {
      const res = await move(caseId, to);
      expect({ to, status: res.status, body: res.body }).toMatchObject({ to, status: 200 });
    }
  }

  const move = (caseId: string, to: string, reason?: string) =>
    t.http('POST', `/cases/${caseId}/transitions`, { body: { to, ...(reason ? { reason } : {}) }, role: 'manager' });

  /** the case's work log of one kind as staff (or the given token) read it through the API, oldest first */
  async function workLog(caseId: string, kind: string, token?: string): Promise<Array<{ public: boolean; text: string }>> {
    const res = await t.http('GET', `/cases/${caseId}/worklog?limit=200`, { role: 'agent', token });
    expect(res.status).toBe(200);
    return res.body.items
      .filter((e: { kind: string }) => e.kind === kind)
      .map((e: { public: boolean; text: string }) => ({ public: e.public, text: e.text }));
  }
  const vendorLog = (caseId: string) => workLog(caseId, 'vendor');

  /**
   * Every event the service committed for a case, in order: the outbox is what will be published, so "never
   * announced" is checked here rather than by waiting for something not to arrive.
   */
  async function outboxed(caseId: string): Promise<string[]> {
    const rows: Array<{ event_type: string }> = await t.service.runtime.dataSource.query(
      `SELECT event_type FROM "${t.schema}".outbox WHERE aggregate_id = $1 ORDER BY id`,
      [caseId],
    );
    return rows.map((r) => r.event_type);
  }

  const status = async (caseId: string) => (await t.http('GET', `/cases/${caseId}`, { role: 'admin' })).body.status;

  /** multipart/form-data as a browser or signature pad sends it */
  async function upload(path: string, token: string, parts: Record<string, Blob | string>) {
    const form = new FormData();
    for (const [k, v] of Object.entries(parts)) {
      if (typeof v === 'string') form.append(k, v);
      else form.append(k, v, `${k}.bin`);
    }
    const res = await fetch(t.service.url + path, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    return { status: res.status, body: (await res.json()) as any };
  }

  async function completedVisit(caseId: string) {
    const visit = (
      await t.http('POST', `/cases/${caseId}/visits`, { body: { engineerId: 'E-7', plannedArrivalAt: '2026-05-04T09:00:00Z' } })
    ).body;
    await t.http('POST', `/cases/${caseId}/visits/${visit.id}/arrival`, { body: {}, role: 'engineer' });
    await t.http('POST', `/cases/${caseId}/visits/${visit.id}/completion`, { body: { workDone: 'replaced fan' }, role: 'engineer' });
    return visit.id as string;
  }

  it('dispatch → arrival → completion → signed report → close, with events, work log and a printable document', async () => {
    const c = await openCase();
    const base = `/cases/${c.id}`;

    const dispatched = await t.http('POST', `${base}/visits`, {
      body: { engineerId: 'E-7', plannedArrivalAt: '2026-05-04T09:00:00Z', note: 'bring a spare controller' },
    });
    expect(dispatched.status).toBe(201);
    expect(dispatched.body).toMatchObject({
      engineerId: 'E-7',
      stage: 'planned',
      plannedArrivalAt: '2026-05-04T09:00:00.000Z',
      arrivedAt: null,
    });
    expect(await status(c.id)).toBe('on-site');
    const visitId = dispatched.body.id;

    clock.set('2026-05-04T09:05:00Z');
    const arrived = await t.http('POST', `${base}/visits/${visitId}/arrival`, { token: await engineer() }); // no body: now
    expect(arrived.status).toBe(200);
    expect(arrived.body).toMatchObject({ stage: 'on-site', arrivedAt: '2026-05-04T09:05:00.000Z' });

    clock.set('2026-05-04T11:30:00Z');
    const completed = await t.http('POST', `${base}/visits/${visitId}/completion`, {
      body: { workDone: 'Replaced controller A\nRebuilt RAID & verified' },
      token: await engineer(),
    });
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ stage: 'completed', completedAt: '2026-05-04T11:30:00.000Z' });

    const visitEvents = await waitFor('three visit events', () => {
      const seen = events.filter((e) => e.type === 'case.visit.updated.v1' && e.subject === c.id);
      return seen.length === 3 && seen;
    });
    expect(visitEvents.map((e) => e.data)).toEqual([
      expect.objectContaining({ caseId: c.id, caseNumber: c.caseNumber, visitId, arrivedAt: null, completedAt: null }),
      expect.objectContaining({ arrivedAt: '2026-05-04T09:05:00.000Z', completedAt: null }),
      expect.objectContaining({ arrivedAt: '2026-05-04T09:05:00.000Z', completedAt: '2026-05-04T11:30:00.000Z' }),
    ]);
    const visits = await t.http('GET', `${base}/visits`, { token: await customer() });
    expect(visits.body.items).toEqual([
      expect.objectContaining({ id: visitId, stage: 'completed', workDone: expect.stringContaining('RAID') }),
    ]);
    expect(visits.body.items[0].note).toBeUndefined(); // the desk's dispatch note stays with staff
    expect((await t.http('GET', `${base}/visits`)).body.items[0].note).toBe('bring a spare controller');

    clock.set('2026-05-04T11:40:00Z');
    const report = await t.http('POST', `${base}/visits/${visitId}/report`, {
      token: await engineer(),
      body: {
        diagnosis: 'controller "A" <b>failed</b>',
        partsUsed: [{ partNumber: 'CTL-<9>', description: 'RAID controller', quantity: 1 }],
        customerName: 'Wang <script>alert(1)</script>',
        engineerName: 'Zhao Gang',
      },
    });
    expect(report.status).toBe(201);
    expect(report.body).toMatchObject({
      status: 'awaiting-signatures',
      symptom: 'storage array offline', // the case's own symptom
      workDone: 'Replaced controller A\nRebuilt RAID & verified', // the visit's
      signatures: [
        { party: 'customer', signedAt: null },
        { party: 'engineer', signedAt: null },
      ],
    });
    const reportId = report.body.id;
    const reportBase = `${base}/reports/${reportId}`;

    // resolved and confirmed by the customer, but the report is unsigned: the case may not close
    await walk(c.id, ['resolved', 'confirmed']);
    const early = await move(c.id, 'closed');
    expect(early.status).toBe(409);
    expect(early.body.message).toContain(`report ${reportId}`);
    expect(await status(c.id)).toBe('confirmed');

    // the customer signs with an image, but may not sign for the engineer
    const asEngineer = await t.http('POST', `${reportBase}/signatures/engineer`, { token: await customer(), body: { typedName: 'Wang' } });
    expect(asEngineer.status).toBe(403);
    clock.set('2026-05-04T11:42:00Z');
    const byCustomer = await upload(`${reportBase}/signatures/customer`, await customer(), {
      signature: new Blob([PNG], { type: 'image/png' }),
      signerName: 'Wang Fang',
    });
    expect(byCustomer.status).toBe(201);
    expect(byCustomer.body).toMatchObject({
      status: 'awaiting-signatures',
      signatures: [
        { party: 'customer', method: 'image', signerName: 'Wang Fang' },
        { party: 'engineer', signedAt: null },
      ],
    });
    expect((await upload(`${reportBase}/signatures/customer`, await customer(), { signature: new Blob([PNG]) })).status).toBe(409);
    expect((await move(c.id, 'closed')).status).toBe(409);

    // the engineer's signature is the visiting engineer's own: a colleague or the desk may not give it
    for (const token of [await tokenFor('engineer', { sub: 'E-8' }), await tokenFor('agent')]) {
      expect((await t.http('POST', `${reportBase}/signatures/engineer`, { token, body: { typedName: 'Zhao Gang' } })).status).toBe(403);
    }
    clock.set('2026-05-04T11:45:00Z');
    const byEngineer = await t.http('POST', `${reportBase}/signatures/engineer`, {
      token: await engineer(),
      body: { typedName: 'Zhao Gang' },
    });
    expect(byEngineer.status).toBe(201);
    expect(byEngineer.body).toMatchObject({ status: 'signed', signedAt: '2026-05-04T11:45:00.000Z' });

    const signed = await waitFor('case.service-report.signed.v1', () =>
      events.find((e) => e.type === 'case.service-report.signed.v1' && e.subject === c.id),
    );
    expect(signed.data).toEqual({
      caseId: c.id,
      caseNumber: c.caseNumber,
      region: 'north',
      customerId: 'C-100',
      reportId,
      visitId,
      signedAt: '2026-05-04T11:45:00.000Z',
    });

    // the customer reads the report and its printable document
    const json = await t.http('GET', reportBase, { token: await customer() });
    expect(json.status).toBe(200);
    expect(json.body.signatures).toEqual([
      expect.objectContaining({ party: 'customer', method: 'image', signedAt: '2026-05-04T11:42:00.000Z', imageType: 'image/png' }),
      expect.objectContaining({ party: 'engineer', method: 'typed', signerName: 'Zhao Gang', signedAt: '2026-05-04T11:45:00.000Z' }),
    ]);
    const doc = await fetch(`${t.service.url}${reportBase}/document`, { headers: { authorization: `Bearer ${await customer()}` } });
    expect(doc.status).toBe(200);
    expect(doc.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await doc.text();
    expect(html).toContain(c.caseNumber);
    expect(html).toContain(`src="data:image/png;base64,${PNG.toString('base64')}"`);
    expect(html).toContain('Zhao Gang, typed name, signed 2026-05-04 11:45 UTC');
    expect(html).toContain('Wang Fang, signed 2026-05-04 11:42 UTC');
    expect(html).toContain('Arrived</dt><dd>2026-05-04 09:05 UTC');
    expect(html).toContain('Rebuilt RAID &amp; verified');
    expect(html).toContain('Wang &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('controller &quot;A&quot; &lt;b&gt;failed&lt;/b&gt;');
    expect(html).toContain('CTL-&lt;9&gt;');
    expect(html).not.toMatch(/<script|<b>failed|CTL-<9>/);
    const image = await fetch(`${t.service.url}${reportBase}/signatures/customer/image`, {
      headers: { authorization: `Bearer ${await customer()}` },
    });
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer())).toEqual(PNG);

    // the audit trail the customer sees: every visit step and every signature, public
    expect(await workLog(c.id, 'visit')).toEqual([
      { public: true, text: 'On-site visit dispatched: Zhao Gang (E-7), planned arrival 2026-05-04T09:00:00.000Z' },
      { public: true, text: 'Engineer E-7 arrived on site at 2026-05-04T09:05:00.000Z' },
      { public: true, text: expect.stringMatching(/^On-site work completed at 2026-05-04T11:30:00.000Z: Replaced controller A/) },
    ]);
    expect((await workLog(c.id, 'report')).map((e) => e.text)).toEqual([
      expect.stringMatching(/^Customer service report written/),
      `Customer Wang Fang signed service report ${reportId} (signature image)`,
      `Engineer Zhao Gang signed service report ${reportId} (typed name)`,
      `Service report ${reportId} signed by customer and engineer`,
    ]);

    expect(await workLog(c.id, 'visit', await customer())).toHaveLength(3);

    // now it closes
    expect((await move(c.id, 'closed')).status).toBe(200);
    expect(await status(c.id)).toBe('closed');
  });

  it('opens and tracks the upstream vendor case with events and an internal history', async () => {
    const c = await openCase();
    const base = `/cases/${c.id}/vendor-case`;
    expect((await t.http('GET', base)).status).toBe(404);
    expect((await t.http('PATCH', base, { body: { vendorStatus: 'in-progress' } })).status).toBe(404);

    // ladder B's vendor rung fired: the owner is told on the case's internal log (twice delivered, once logged)
    const rung = upstreamEvent('escalation.vendor-case.required.v1', c.id, {
      clockId: randomUUID(),
      caseId: c.id,
      region: 'north',
      severity: 'P2',
      policyId: 'LADDER_B',
      policyVersion: 1,
      eventKey: 'rung:3',
      dueAt: clock.now().toISOString(),
      firedAt: clock.now().toISOString(),
      rungIndex: 3,
    });
    await deliver(t.bus, rung);
    await deliver(t.bus, rung);
    expect(await vendorLog(c.id)).toEqual([
      {
        public: false,
        text: expect.stringMatching(/^Vendor rung reached \(escalation policy LADDER_B v1, rung 3.*open a case with the upstream vendor/),
      },
    ]);

    const opened = await t.http('POST', base, { body: { vendor: 'Huawei', vendorCaseNumber: 'HW-2026-0042' }, role: 'engineer' });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ vendor: 'Huawei', vendorCaseNumber: 'HW-2026-0042', vendorStatus: 'open' });
    expect(await status(c.id)).toBe('vendor-case-open');
    expect((await t.http('POST', base, { body: { vendor: 'Dell', vendorCaseNumber: 'D-1' } })).status).toBe(409);

    clock.set('2026-05-05T10:00:00Z');
    const updated = await t.http('PATCH', base, {
      body: { vendorStatus: 'patch-provided', note: 'firmware 7.1.3 fixes it' },
      role: 'engineer',
    });
    expect(updated.status).toBe(200);
    expect(updated.body.history).toEqual([
      expect.objectContaining({ vendorStatus: 'open', note: null }),
      expect.objectContaining({ vendorStatus: 'patch-provided', note: 'firmware 7.1.3 fixes it', at: '2026-05-05T10:00:00.000Z' }),
    ]);
    expect((await t.http('GET', base)).body).toMatchObject({ vendorStatus: 'patch-provided', updatedAt: '2026-05-05T10:00:00.000Z' });

    const seen = await waitFor('two vendor-case events', () => {
      const e = events.filter((x) => x.type === 'case.vendor-case.updated.v1' && x.subject === c.id);
      return e.length === 2 && e;
    });
    expect(seen.map((e) => (e.data as { vendorStatus: string }).vendorStatus)).toEqual(['open', 'patch-provided']);
    expect(seen[1]?.data).toMatchObject({
      caseNumber: c.caseNumber,
      vendor: 'Huawei',
      vendorCaseNumber: 'HW-2026-0042',
      at: '2026-05-05T10:00:00.000Z',
    });

    // the vendor case is back-office: not on the customer's work log, not readable by the customer
    expect((await t.http('GET', base, { token: await customer() })).status).toBe(404);
    expect((await vendorLog(c.id)).map((e) => e.public)).toEqual([false, false, false]);
    expect(await workLog(c.id, 'vendor', await customer())).toEqual([]);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    clock.set('2026-05-06T08:00:00Z');
    const c = await openCase();
    const base = `/cases/${c.id}`;

    const badDate = await t.http('POST', `${base}/visits`, { body: { engineerId: 'E-7', plannedArrivalAt: 'tomorrow 9am' } });
    expect(badDate.status).toBe(400);
    expect(badDate.body.errors).toEqual([expect.objectContaining({ field: 'plannedArrivalAt' })]);
    const impossible = await t.http('POST', `${base}/visits`, { body: { engineerId: 'E-7', plannedArrivalAt: '2026-02-30T09:00:00Z' } });
    expect(impossible.body.errors).toEqual([expect.objectContaining({ field: 'plannedArrivalAt' })]);
    const blank = await t.http('POST', `${base}/visits`, { body: { engineerId: '   ', plannedArrivalAt: '2026-05-06T09:00:00Z' } });
    expect(blank.body.errors).toEqual([expect.objectContaining({ field: 'engineerId' })]);
    expect((await t.http('GET', `${base}/visits`)).body.items).toEqual([]);
    expect(await status(c.id)).toBe('assigned');

    const stranger = await t.http('POST', `${base}/visits`, { body: { engineerId: 'E-404', plannedArrivalAt: '2026-05-06T09:00:00Z' } });
    expect(stranger.status).toBe(422);
    expect(stranger.body.errors).toEqual([expect.objectContaining({ field: 'engineerId', reason: expect.stringMatching(/directory/) })]);
    const inactive = await t.http('POST', `${base}/visits`, { body: { engineerId: 'E-8', plannedArrivalAt: '2026-05-06T09:00:00Z' } });
    expect(inactive.body.errors).toEqual([expect.objectContaining({ field: 'engineerId', reason: expect.stringMatching(/not active/) })]);
    expect((await t.http('GET', `${base}/visits`)).body.items).toEqual([]);
    expect(await status(c.id)).toBe('assigned');

    // a retried dispatch (same Idempotency-Key) sends one engineer, not two
    const dispatch = { body: { engineerId: 'E-7', plannedArrivalAt: '2026-05-06T09:00:00Z' }, headers: { 'Idempotency-Key': `d-${c.id}` } };
    const first = await t.http('POST', `${base}/visits`, dispatch);
    const retry = await t.http('POST', `${base}/visits`, dispatch);
    expect([first.status, retry.status, retry.headers.get('idempotent-replayed')]).toEqual([201, 201, 'true']);
    expect(retry.body.id).toBe(first.body.id);
    const visit = first.body;
    const future = await t.http('POST', `${base}/visits/${visit.id}/arrival`, { body: { arrivedAt: '2026-05-06T12:00:00Z' } });
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([expect.objectContaining({ field: 'arrivedAt', reason: expect.stringMatching(/future/) })]);
    expect((await t.http('POST', `${base}/visits/${visit.id}/completion`, { body: { workDone: 'x' } })).status).toBe(409); // not arrived
    await t.http('POST', `${base}/visits/${visit.id}/arrival`, { body: { arrivedAt: '2026-05-06T07:59:00Z' } }).then((r) => {
      expect(r.body.errors).toEqual([expect.objectContaining({ field: 'arrivedAt', reason: expect.stringMatching(/dispatch/) })]);
    });
    expect((await t.http('POST', `${base}/visits/${visit.id}/arrival`, { body: { arrivedAt: '2026-05-06T08:00:00Z' } })).status).toBe(200);
    const early = await t.http('POST', `${base}/visits/${visit.id}/completion`, {
      body: { workDone: 'x', completedAt: '2026-05-06T07:00:00Z' },
    });
    expect(early.body.errors).toEqual([expect.objectContaining({ field: 'completedAt' })]);
    const noWork = await t.http('POST', `${base}/visits/${visit.id}/completion`, { body: {} });
    expect(noWork.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'workDone' })]));
    expect((await t.http('POST', `${base}/visits/${visit.id}/report`, { body: { diagnosis: 'd', engineerName: 'Zhao' } })).status).toBe(
      409,
    );

    const unknown = await t.http('POST', `${base}/visits/00000000-0000-4000-8000-000000000000/arrival`, { body: {} });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'visitId' })]);
    expect((await t.http('POST', `${base}/visits/not-a-uuid/arrival`, { body: {} })).status).toBe(400);

    const visits = (await t.http('GET', `${base}/visits`)).body.items;
    expect(visits).toEqual([
      expect.objectContaining({ id: visit.id, stage: 'on-site', arrivedAt: '2026-05-06T08:00:00.000Z', completedAt: null }),
    ]);

    // the report: bad parts, then signatures that are not images, too big, or missing
    await t.http('POST', `${base}/visits/${visit.id}/completion`, { body: { workDone: 'replaced fan' } });
    const badParts = await t.http('POST', `${base}/visits/${visit.id}/report`, {
      body: { diagnosis: 'fan', engineerName: 'Zhao', partsUsed: [{ description: 'fan', quantity: 0 }] },
    });
    expect(badParts.status).toBe(400);
    expect(badParts.body.errors).toEqual([expect.objectContaining({ field: 'partsUsed.0.quantity' })]);
    expect((await t.http('GET', `${base}/reports`)).body.items).toEqual([]);
    const report = (await t.http('POST', `${base}/visits/${visit.id}/report`, { body: { diagnosis: 'fan' } })).body;
    expect(report).toMatchObject({ engineerName: 'Zhao Gang', customerName: 'Li Wei' }); // from the directory and the case contact
    const sign = `${base}/reports/${report.id}/signatures`;
    const token = await engineer();

    const pdf = await upload(`${sign}/customer`, token, {
      signature: new Blob([Buffer.from('%PDF-1.7 not an image')], { type: 'image/png' }),
    });
    expect(pdf.status).toBe(400);
    expect(pdf.body.errors).toEqual([expect.objectContaining({ field: 'signature', reason: expect.stringMatching(/PNG or JPEG/) })]);
    const huge = await upload(`${sign}/customer`, token, { signature: new Blob([PNG, Buffer.alloc(1024 * 1024)], { type: 'image/png' }) });
    expect(huge.status).toBe(413);
    expect(huge.body.errors).toEqual([expect.objectContaining({ field: 'signature' })]);
    const wrongField = await upload(`${sign}/customer`, token, { file: new Blob([PNG], { type: 'image/png' }) });
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.errors).toEqual([expect.objectContaining({ field: 'signature' })]);
    const nothing = await t.http('POST', `${sign}/customer`, { token, body: {} });
    expect(nothing.status).toBe(400);
    expect(nothing.body.errors).toEqual([expect.objectContaining({ field: 'signature' })]);
    const both = await upload(`${sign}/customer`, token, { signature: new Blob([PNG]), typedName: 'Wang' });
    expect(both.body.errors).toEqual([expect.objectContaining({ field: 'typedName' })]);
    const party = await t.http('POST', `${sign}/witness`, { token, body: { typedName: 'Wang' } });
    expect(party.status).toBe(400);
    expect(party.body.errors).toEqual([expect.objectContaining({ field: 'party' })]);
    const unknownReport = await t.http('POST', `${base}/reports/00000000-0000-4000-8000-000000000000/signatures/customer`, {
      token,
      body: { typedName: 'Wang' },
    });
    expect(unknownReport.body.errors).toEqual([expect.objectContaining({ field: 'reportId' })]);

    expect(
      (await t.http('GET', `${base}/reports/${report.id}`)).body.signatures.every((s: { signedAt: unknown }) => s.signedAt === null),
    ).toBe(true);
    const bad = await t.http('POST', `/cases/${c.id}/vendor-case`, { body: { vendor: 'Huawei', vendorCaseNumber: '' } });
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'vendorCaseNumber' })]);
    const written = await outboxed(c.id);
    // only the good steps were announced: a dispatch, an arrival, a completion (and the lifecycle moves)
    expect(written.filter((x) => x === 'case.visit.updated.v1')).toHaveLength(3);
    expect(written).not.toContain('case.vendor-case.updated.v1');
    expect(written).not.toContain('case.service-report.signed.v1');
    expect(await workLog(c.id, 'visit')).toHaveLength(3);
    expect(await workLog(c.id, 'vendor')).toEqual([]);
  });

  it('signs once when customer and engineer sign at the same moment, and refuses a third signature', async () => {
    clock.set('2026-05-08T08:00:00Z');
    const c = await openCase();
    const visitId = await completedVisit(c.id);
    const report = (await t.http('POST', `/cases/${c.id}/visits/${visitId}/report`, { body: { diagnosis: 'fan' } })).body;
    const sign = `/cases/${c.id}/reports/${report.id}/signatures`;
    const [a, b] = await Promise.all([
      upload(`${sign}/customer`, await customer(), { signature: new Blob([PNG]) }),
      t.http('POST', `${sign}/engineer`, { token: await engineer(), body: { typedName: 'Zhao Gang' } }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((await t.http('GET', `/cases/${c.id}/reports/${report.id}`)).body.status).toBe('signed');
    expect((await t.http('POST', `${sign}/engineer`, { token: await engineer(), body: { typedName: 'Zhao Gang' } })).status).toBe(409);
    expect((await outboxed(c.id)).filter((x) => x === 'case.service-report.signed.v1')).toHaveLength(1);
    await waitFor('the signed event', () => events.find((e) => e.type === 'case.service-report.signed.v1' && e.subject === c.id));
  });

  it("hides one customer's field work from another customer: 404, not 403", async () => {
    clock.set('2026-05-07T08:00:00Z');
    const c = await openCase('C-200');
    const visitId = await completedVisit(c.id);
    const report = (await t.http('POST', `/cases/${c.id}/visits/${visitId}/report`, { body: { diagnosis: 'fan', engineerName: 'Zhao' } }))
      .body;
    const base = `/cases/${c.id}`;
    const stranger = await customer('C-201');
    const owner = await customer('C-200');

    for (const path of [`${base}/visits`, `${base}/reports`, `${base}/reports/${report.id}`, `${base}/reports/${report.id}/document`]) {
      expect({ path, status: (await t.http('GET', path, { token: stranger })).status }).toEqual({ path, status: 404 });
      expect({ path, status: (await t.http('GET', path, { token: owner })).status }).toEqual({ path, status: 200 });
    }
    const sign = await t.http('POST', `${base}/reports/${report.id}/signatures/customer`, {
      token: stranger,
      body: { typedName: 'Mallory' },
    });
    expect(sign.status).toBe(404);
    const upload404 = await upload(`${base}/reports/${report.id}/signatures/customer`, stranger, { signature: new Blob([PNG]) });
    expect(upload404.status).toBe(404);
    expect((await t.http('GET', `${base}/reports/${report.id}`, { token: owner })).body.signatures[0].signedAt).toBeNull();
    expect(
      (await t.http('POST', `${base}/visits`, { token: owner, body: { engineerId: 'E-1', plannedArrivalAt: '2026-05-07T09:00:00Z' } }))
        .status,
    ).toBe(404); // a staff-only route about a case: 404 for customers, as every out-of-scope answer
  });
});
