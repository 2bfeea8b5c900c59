import { randomUUID } from 'node:crypto';
import { deliver, requestReceived, TestService, upstreamEvent, waitFor } from '@aftersales/testing';
import { rowCounts, Stack, startStack, token, waitForQuiet } from './support/stack';

/**
 * One regression test per class of input that answered 500 (issue 17, item 1 and 4). Each class is
 * refused once at the edge (libs/platform input-guards, libs/calendar's shape check); each test
 * here answered 500 (or took the input) before its fix, and proves nothing was written.
 */
describe('hostile input classes answer 4xx naming the field, writing nothing (intake, case, escalation in-process)', () => {
  let stack: Stack;
  let intake: TestService;
  let cases: TestService;
  let escalation: TestService;
  let reportPath: string;
  let articleId: string;

  const calendar = { id: 'CAL-1', timeZone: 'Asia/Shanghai', kind: 'business-hours', weekly: { 1: [{ start: '09:00', end: '18:00' }] } };

  beforeAll(async () => {
    stack = await startStack(['intake', 'case', 'escalation']);
    intake = stack.get('intake');
    cases = stack.get('case');
    escalation = stack.get('escalation');
    const admin = await token('admin');
    const ok = async (t: TestService, method: string, path: string, body: unknown, tk = admin) => {
      const res = await t.http(method, path, { body, token: tk });
      expect({ path, status: res.status, body: res.body }).toMatchObject({ status: expect.any(Number) });
      expect(res.status).toBeLessThan(300);
      return res.body;
    };
    await ok(intake, 'POST', '/customers', { id: 'C-1', name: 'Beijing Metro' });
    await ok(intake, 'POST', '/sites', { id: 'S-1', customerId: 'C-1', name: 'Depot' });
    await ok(intake, 'POST', '/calendars', calendar);
    await ok(intake, 'POST', '/contracts', {
      id: 'K-1',
      customerId: 'C-1',
      coverage: '7x24',
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
    });
    await ok(cases, 'POST', '/engineers', { id: 'E-1', name: 'Zhao Gang', tier: 'L2', grade: 'product-engineer', region: 'north' });
    articleId = (await ok(cases, 'POST', '/knowledge/articles', { title: 'Fan noise', symptom: 'loud fan' })).id;

    // a signed-report flow up to an unsigned report
    const request = requestReceived({ customerId: 'C-1' });
    await deliver(stack.bus, upstreamEvent('intake.request.received.v1', request.requestId, request));
    const [c] = (await cases.http('GET', `/cases?requestId=${request.requestId}`, { token: admin })).body.items;
    await ok(cases, 'POST', `/cases/${c.id}/assignment`, { engineerId: 'E-1', reason: 'on site' });
    const visit = await ok(cases, 'POST', `/cases/${c.id}/visits`, { engineerId: 'E-1', plannedArrivalAt: '2026-05-04T09:00:00Z' });
    await ok(cases, 'POST', `/cases/${c.id}/visits/${visit.id}/arrival`, {});
    await ok(cases, 'POST', `/cases/${c.id}/visits/${visit.id}/completion`, { workDone: 'replaced fan' });
    const report = await ok(cases, 'POST', `/cases/${c.id}/visits/${visit.id}/report`, { diagnosis: 'fan failed' });
    reportPath = `/cases/${c.id}/reports/${report.id}`;
  });
  afterAll(() => stack?.stop());

  /** Sends each probe and expects `status` with an error naming `field`; no table of the service changes. */
  async function refused(
    t: TestService,
    probes: Array<{ method: string; path: string; body?: unknown; field: string; headers?: Record<string, string> }>,
    status = 400,
  ) {
    const admin = await token('admin');
    // what the setup and earlier tests set moving (a case's clocks reaching case's report tables) lands first
    await waitForQuiet(stack);
    const before = await rowCounts(t);
    for (const p of probes) {
      const res = await t.http(p.method, p.path, { body: p.body, token: admin, headers: p.headers });
      expect({ probe: `${p.method} ${p.path}`, status: res.status }).toEqual({ probe: `${p.method} ${p.path}`, status });
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: p.field })]));
    }
    expect(await rowCounts(t)).toEqual(before);
  }

  const nested = (depth: number): unknown => {
    let v: unknown = 'x';
    for (let i = 0; i < depth; i++) v = { a: v };
    return v;
  };

  it('JSON nested 2 000 deep is a 400 before class-transformer recurses (was RangeError → 500)', async () => {
    const deep = nested(2000);
    await refused(intake, [
      { method: 'POST', path: '/requests', body: { channel: 'phone', symptom: 'x', contact: deep }, field: '(body)' },
      { method: 'POST', path: '/customers', body: { id: 'C-9', name: deep }, field: '(body)' },
    ]);
    await refused(cases, [{ method: 'PATCH', path: '/engineers/E-1', body: { skills: [deep] }, field: '(body)' }]);
    await refused(escalation, [
      { method: 'POST', path: '/policies', body: { id: 'p', name: 'p', calendarMode: 'contract', severities: deep }, field: '(body)' },
    ]);
    // what a real body needs still passes
    const ok = await intake.http('PATCH', '/customers/C-1', { body: { name: 'Beijing Metro' }, token: await token('admin') });
    expect(ok.status).toBe(200);
  });

  it('NUL in path parameters, query strings, body strings and iCal text is a 400 naming the field (was 0x00 → 500)', async () => {
    await refused(intake, [
      { method: 'GET', path: '/customers/%00', field: 'id' },
      { method: 'PATCH', path: '/sites/S%00', body: { name: 'x' }, field: 'id' },
      { method: 'GET', path: '/customers?name=a%00b', field: 'name' },
      { method: 'POST', path: '/customers', body: { id: 'C-8', name: 'a\u0000b' }, field: 'name' },
      { method: 'POST', path: '/sites', body: { id: 'S-8', customerId: 'C-1', name: 'x', address: 'Road\u0000 1' }, field: 'address' },
      { method: 'POST', path: '/requests', body: { customerId: 'C-1', channel: 'phone', symptom: 'dead\u0000' }, field: 'symptom' },
      {
        method: 'POST',
        path: '/calendars/CAL-1/holidays',
        body: 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261001\r\nSUMMARY:Nat\u0000ional\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
        headers: { 'content-type': 'text/calendar' },
        field: '(body)',
      },
    ]);
    await refused(escalation, [
      { method: 'POST', path: '/policies/%00/simulate', body: { severity: 'P1', startedAt: '2026-05-04T09:00:00Z' }, field: 'policyId' },
      { method: 'PUT', path: '/regions/%00/policy', body: { policyId: 'ladder-a' }, field: 'region' },
    ]);
    await refused(cases, [
      { method: 'PATCH', path: `/knowledge/articles/${articleId}`, body: { symptom: 'x\u0000' }, field: 'symptom' },
      { method: 'POST', path: `${reportPath}/signatures/customer`, body: { typedName: 'Li\u0000 Wei' }, field: 'typedName' },
    ]);
  });

  it('null for a PATCH field that is not documented nullable is a 400 naming it (was a NOT NULL violation → 500)', async () => {
    const fields = { name: null, tier: null, grade: null, region: null, active: null, maxLoad: null, skills: null, senior: null };
    await refused(
      cases,
      Object.entries(fields).map(([field, v]) => ({ method: 'PATCH', path: '/engineers/E-1', body: { [field]: v }, field })),
    );
    await refused(cases, [
      { method: 'PATCH', path: `/knowledge/articles/${articleId}`, body: { title: null }, field: 'title' },
      { method: 'PATCH', path: `/knowledge/articles/${articleId}`, body: { symptom: null }, field: 'symptom' },
    ]);
    // a field documented nullable is cleared
    const admin = await token('admin');
    expect((await cases.http('PATCH', '/engineers/E-1', { body: { superiorId: null }, token: admin })).status).toBe(200);
    expect((await intake.http('PATCH', '/contracts/K-1', { body: { warrantyEndsOn: null }, token: admin })).status).toBe(200);
  });

  it('calendar definitions of the wrong shape are a 400 naming the field, in intake and escalation (was forEach → 500)', async () => {
    // [key, wrong value, the field named]
    const shapes: Array<[string, unknown, string]> = [
      ['holidays', 1, 'holidays'],
      ['workdays', 3, 'workdays'],
      ['holidays', 'x', 'holidays'],
      ['workdays', {}, 'workdays'],
      ['weekly', [1], 'weekly'],
      ['weekly', { 1: 'x' }, 'weekly.1'],
      ['workdayHours', 'x', 'workdayHours'],
      ['holidays', [1], 'holidays.0'],
      ['holidays', null, 'holidays'],
    ];
    await refused(intake, [
      ...shapes.map(([k, v, field]) => ({ method: 'POST', path: '/calendars', body: { ...calendar, id: 'CAL-2', [k]: v }, field })),
      ...shapes.map(([k, v, field]) => ({ method: 'PATCH', path: '/calendars/CAL-1', body: { [k]: v }, field })),
    ]);
    await refused(
      escalation,
      shapes.map(([k, v, field]) => ({
        method: 'PUT',
        path: '/calendars/CAL-1',
        body: { definition: { ...calendar, [k]: v } },
        field: `definition.${field}`,
      })),
    );
  });

  it('a service-report signature with typedName or signerName null is a 400 (was TypeError → 500)', async () => {
    await refused(cases, [
      { method: 'POST', path: `${reportPath}/signatures/customer`, body: { typedName: null }, field: 'typedName' },
      { method: 'POST', path: `${reportPath}/signatures/customer`, body: { signerName: null }, field: 'signerName' },
      { method: 'POST', path: `${reportPath}/signatures/engineer`, body: { typedName: 'Zhao', signerName: null }, field: 'signerName' },
    ]);
    const signed = await cases.http('POST', `${reportPath}/signatures/customer`, {
      body: { typedName: 'Li Wei' },
      token: await token('admin'),
    });
    expect(signed.status).toBe(201);
  });

  it('__proto__ and constructor keys are refused like every other unknown key, and severity null is not taken as absent', async () => {
    const proto = '{"id":"C-7","name":"x","__proto__":{"admin":true}}';
    await refused(intake, [
      { method: 'POST', path: '/customers', body: proto, field: '__proto__' },
      { method: 'POST', path: '/customers', body: { id: 'C-7', name: 'x', constructor: { prototype: {} } }, field: 'constructor' },
      {
        method: 'POST',
        path: '/requests',
        body: '{"customerId":"C-1","channel":"phone","symptom":"x","contact":{"name":"a","__proto__":{}}}',
        field: 'contact.__proto__',
      },
      {
        method: 'POST',
        path: '/requests',
        body: { customerId: 'C-1', channel: 'phone', symptom: 'x', severity: null, contact: { name: 'Li' } },
        field: 'severity',
      },
    ]);
    await refused(escalation, [
      {
        method: 'POST',
        path: '/policies',
        body: '{"id":"p","name":"p","calendarMode":"contract","severities":{"__proto__":{}}}',
        field: 'severities.__proto__',
      },
    ]);
  });

  it('a published knowledge article shows customers neither its source case nor who wrote or published it', async () => {
    const admin = await token('admin');
    const [c] = (await cases.http('GET', '/cases', { token: admin })).body.items;
    const article = await cases.http('POST', '/knowledge/articles', {
      token: await token('engineer', { sub: 'E-1' }),
      body: { title: 'Array offline after power loss', symptom: 'array offline', solution: 'reseat controller', sourceCaseId: c.id },
    });
    expect(article.status).toBe(201);
    expect((await cases.http('POST', `/knowledge/articles/${article.body.id}/publish`, { token: admin })).status).toBe(200);
    const customer = await token('customer', { customerId: 'C-1' });
    const asCustomer = await cases.http('GET', `/knowledge/articles/${article.body.id}`, { token: customer });
    expect(asCustomer.status).toBe(200);
    expect(asCustomer.body).toMatchObject({ title: 'Array offline after power loss', solution: 'reseat controller' });
    const found = await cases.http('GET', '/knowledge/search?q=controller', { token: customer });
    for (const shown of [asCustomer.body, ...found.body.items]) {
      expect(Object.keys(shown)).not.toEqual(expect.arrayContaining(['sourceCaseId']));
      expect(Object.keys(shown)).not.toEqual(expect.arrayContaining(['author']));
      expect(Object.keys(shown)).not.toEqual(expect.arrayContaining(['publishedBy']));
      expect(JSON.stringify(shown)).not.toContain(c.id);
    }
    expect(found.body.items.length).toBeGreaterThan(0);
    // staff still see where it came from
    const asStaff = await cases.http('GET', `/knowledge/articles/${article.body.id}`, { token: admin });
    expect(asStaff.body).toMatchObject({ sourceCaseId: c.id, author: 'E-1' });
  });

  it('a complaint names a case the caller may see: another customer’s, made-up or garbage is refused with the field', async () => {
    // a case of another customer that intake knows about
    const other = requestReceived({ customerId: 'C-OTHER' });
    const admin = await token('admin');
    await deliver(stack.bus, upstreamEvent('intake.request.received.v1', other.requestId, other));
    const [foreign] = (await cases.http('GET', `/cases?requestId=${other.requestId}`, { token: admin })).body.items;
    const complaint = (about: unknown) => ({
      customerId: 'C-1',
      channel: 'phone',
      symptom: 'slow engineer',
      serviceMode: 'complaint',
      contact: { name: 'Li' },
      complaintAbout: about,
    });
    await refused(
      intake,
      [
        { method: 'POST', path: '/requests', body: complaint({ caseId: foreign.id }), field: 'complaintAbout.caseId' },
        { method: 'POST', path: '/requests', body: complaint({ caseNumber: foreign.caseNumber }), field: 'complaintAbout.caseNumber' },
        { method: 'POST', path: '/requests', body: complaint({ caseId: randomUUID() }), field: 'complaintAbout.caseId' },
        { method: 'POST', path: '/requests', body: complaint({ caseNumber: 'garbage' }), field: 'complaintAbout.caseNumber' },
      ],
      422,
    );
    expect((await intake.http('POST', '/requests', { body: complaint({ caseId: 'garbage' }), token: admin })).status).toBe(400);

    // the customer's own case, once intake knows its number, takes a complaint by id or number
    const filed = await intake.http('POST', '/requests', {
      body: { customerId: 'C-1', channel: 'phone', symptom: 'printer jams', contact: { name: 'Li' } },
      token: admin,
    });
    expect(filed.status).toBe(201);
    const own = await waitFor('the case number on the request', async () => {
      const r = (await intake.http('GET', `/requests/${filed.body.id}`, { token: admin })).body;
      return r.caseId ? r : undefined;
    });
    for (const about of [{ caseId: own.caseId }, { caseNumber: own.caseNumber }]) {
      const res = await intake.http('POST', '/requests', { body: complaint(about), token: admin });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ serviceMode: 'complaint', complaintAbout: about });
    }
    // a customer complains about its own case, never about another's
    const customer = await token('customer', { customerId: 'C-1' });
    const { customerId: _, ...mine } = complaint({ caseNumber: own.caseNumber });
    expect((await intake.http('POST', '/requests', { body: { ...mine, channel: 'portal' }, token: customer })).status).toBe(201);
    const stranger = await token('customer', { customerId: 'C-2' });
    expect((await intake.http('POST', '/requests', { body: { ...mine, channel: 'portal' }, token: stranger })).status).toBe(422);
  });
});
