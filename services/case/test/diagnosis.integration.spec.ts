import { InProcessBus } from '@aftersales/messaging';
import { deliver, requestReceived, startTestService, TestService, tokenFor, upstreamEvent } from '@aftersales/testing';
import { caseService } from '../src/case.service-definition';

/** The diagnosis milestone: a public work-log entry, and `case.diagnosed.v1` once per episode. */
describe('case diagnosis (POST /cases/{id}/diagnosis; real PostgreSQL)', () => {
  let t: TestService;
  let admin: string;
  let eng: string;
  let customer: string;
  let stranger: string;

  beforeAll(async () => {
    t = await startTestService(caseService, { bus: new InProcessBus({ retryBackoffMs: [10] }) });
    admin = await tokenFor('admin');
    eng = await tokenFor('engineer', { sub: 'dx-eng' });
    customer = await tokenFor('customer', { customerId: 'C-DX', sub: 'dx.contact' });
    stranger = await tokenFor('customer', { customerId: 'C-DX-OTHER' });
    await t.http('POST', '/engineers', {
      token: admin,
      body: { id: 'dx-eng', name: 'Diag Du', tier: 'L1', grade: 'maintenance-engineer', region: 'north' },
    });
  });
  afterAll(() => t.stop());

  async function open(severity: 'P1' | 'P3' = 'P1') {
    const request = requestReceived({ severity, customerId: 'C-DX' });
    await deliver(t.bus, upstreamEvent('intake.request.received.v1', request.requestId, request));
    return (await t.http('GET', `/cases?requestId=${request.requestId}`, { token: admin })).body.items[0] as {
      id: string;
      caseNumber: string;
      status: string;
    };
  }
  const diagnose = (id: string, body: unknown, token = eng) => t.http('POST', `/cases/${id}/diagnosis`, { token, body });
  const move = (id: string, to: string, reason?: string, token = eng) =>
    t.http('POST', `/cases/${id}/transitions`, { token, body: { to, ...(reason ? { reason } : {}) } });
  /** what the service committed to announce (the outbox is what will be published) */
  const announced = async (caseId: string): Promise<Array<Record<string, unknown>>> =>
    (
      await t.service.runtime.dataSource.query(
        `SELECT payload FROM "${t.schema}".outbox WHERE aggregate_id = $1 AND event_type = 'case.diagnosed.v1' ORDER BY id`,
        [caseId],
      )
    ).map((r: { payload: Record<string, unknown> }) => r.payload);
  const log = async (id: string, token = admin) =>
    (await t.http('GET', `/cases/${id}/worklog?limit=200`, { token })).body.items as Array<{
      id: string;
      kind: string;
      public: boolean;
      text: string;
      data?: Record<string, unknown>;
    }>;

  it('records the diagnosis as a public entry and announces case.diagnosed.v1 once; a second one is logged, not announced', async () => {
    const c = await open();
    const res = await diagnose(c.id, {
      summary: '  RAID controller A failed (cache battery)  ',
      errorCodes: ['E-RAID-0042', 'E-RAID-0042'],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      caseId: c.id,
      episode: 1,
      summary: 'RAID controller A failed (cache battery)',
      errorCodes: ['E-RAID-0042'],
      actor: { subject: 'dx-eng', role: 'engineer' },
      first: true,
    });
    expect(res.body.diagnosedAt).toBe(res.body.at);
    expect(await announced(c.id)).toEqual([
      {
        caseId: c.id,
        caseNumber: c.caseNumber,
        region: 'north',
        customerId: 'C-DX',
        severity: 'P1',
        workLogEntryId: res.body.workLogEntryId,
        summary: 'RAID controller A failed (cache battery)',
        errorCodes: ['E-RAID-0042'],
        actor: { subject: 'dx-eng', role: 'engineer' },
        at: new Date(res.body.at).toISOString(),
      },
    ]);
    expect((await t.http('GET', `/cases/${c.id}`, { token: admin })).body.diagnosedAt).toBe(res.body.at);

    // a better diagnosis later: logged (with what it says), the milestone stays where it was, nothing announced
    const again = await diagnose(c.id, { summary: 'controller firmware crash, battery fine' }, admin);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ first: false, episode: 1, diagnosedAt: res.body.at, errorCodes: [] });
    expect(await announced(c.id)).toHaveLength(1);
    const entries = (await log(c.id)).filter((e) => e.kind === 'diagnosis');
    expect(entries.map((e) => [e.id, e.public, e.data?.first])).toEqual([
      [res.body.workLogEntryId, true, true],
      [again.body.workLogEntryId, true, false],
    ]);
    expect(entries[1]?.text).toBe('Diagnosis revised: controller firmware crash, battery fine');

    // the customer sees both entries (public), without staff identities or internal data
    const seen = (await log(c.id, customer)).filter((e) => e.kind === 'diagnosis');
    expect(seen.map((e) => e.text)).toEqual([
      'Diagnosis: RAID controller A failed (cache battery) (error codes E-RAID-0042)',
      'Diagnosis revised: controller firmware crash, battery fine',
    ]);
    expect(seen.some((e) => 'data' in e)).toBe(false);
  });

  it('two diagnoses at the same moment announce one', async () => {
    const c = await open();
    const [a, b] = await Promise.all([diagnose(c.id, { summary: 'disk 3 failed' }), diagnose(c.id, { summary: 'disk 3 failed' }, admin)]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect([a.body.first, b.body.first].sort()).toEqual([false, true]);
    const [only, ...more] = await announced(c.id);
    expect(more).toEqual([]);
    expect(only?.workLogEntryId).toBe((a.body.first ? a : b).body.workLogEntryId);
  });

  it('is staff work: a customer gets 404 (its own case or another’s); bad bodies name the field and write nothing', async () => {
    const c = await open();
    const before = (await log(c.id)).length;
    const byCustomer = await diagnose(c.id, { summary: 'it is broken' }, customer);
    expect(byCustomer.status).toBe(404);
    expect((await diagnose(c.id, { summary: 'x' }, stranger)).status).toBe(404);

    const bad = async (body: unknown, field: string) => {
      const res = await diagnose(c.id, body);
      expect({ body, status: res.status, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({
        body,
        status: 400,
        fields: expect.arrayContaining([field]),
      });
      expect(res.body.errors.find((e: { field: string }) => e.field === field).reason).toEqual(expect.any(String));
    };
    await bad({}, 'summary');
    await bad({ summary: '   ' }, 'summary');
    await bad({ summary: 42 }, 'summary');
    await bad({ summary: 'ok', errorCodes: 'E-1' }, 'errorCodes');
    await bad({ summary: 'ok', errorCodes: ['E-1', 7] }, 'errorCodes');
    await bad({ summary: 'ok', errorCodes: [' '] }, 'errorCodes');
    await bad({ summary: 'ok', severity: 'P4' }, 'severity');
    expect((await log(c.id)).length).toBe(before);
    expect(await announced(c.id)).toEqual([]);
    expect((await t.http('POST', `/cases/not-a-uuid/diagnosis`, { token: eng, body: { summary: 'x' } })).status).toBe(400);
  });

  it('a resolved case is past diagnosis (409 with the reason); after a reopen the next episode is diagnosed and announced again', async () => {
    const c = await open('P3'); // the L1 engineer owns it (a P1 waits for a senior expert)
    expect(c.status).toBe('assigned');
    expect((await diagnose(c.id, { summary: 'fan failure' })).body.first).toBe(true);
    expect((await move(c.id, 'in-progress')).status).toBe(200);
    expect((await move(c.id, 'resolved', 'fan replaced')).status).toBe(200);

    const late = await diagnose(c.id, { summary: 'fan failure, really' });
    expect(late.status).toBe(409);
    expect(late.body.errors).toEqual([{ field: 'status', reason: 'a resolved case is past diagnosis: reopen it if the fault is back' }]);
    expect((await log(c.id)).filter((e) => e.kind === 'diagnosis')).toHaveLength(1);

    expect((await move(c.id, 'reopened', 'fan noise is back', admin)).status).toBe(200);
    expect((await t.http('GET', `/cases/${c.id}`, { token: admin })).body.diagnosedAt).toBeNull();
    const second = await diagnose(c.id, { summary: 'second fan bearing worn' });
    expect(second.body).toMatchObject({ first: true, episode: 2 });
    expect((await announced(c.id)).map((e) => e.summary)).toEqual(['fan failure', 'second fan bearing worn']);

    // closed after the customer's confirmation: still past diagnosis
    expect((await move(c.id, 'in-progress')).status).toBe(200);
    expect((await move(c.id, 'resolved', 'bearing replaced')).status).toBe(200);
    expect((await move(c.id, 'closed', 'customer unreachable after three calls', admin)).status).toBe(200);
    expect((await diagnose(c.id, { summary: 'x' })).status).toBe(409);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await fetch(`${t.service.url}/docs/openapi.json`).then((r) => r.json())) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    };
    const op = doc.paths['/cases/{id}/diagnosis']?.post;
    expect(Object.keys(op?.responses ?? {})).toEqual(expect.arrayContaining(['201', '403', '409']));
    const schema = JSON.stringify(doc.components.schemas.DiagnosisDto);
    expect(schema).toContain('summary');
    expect(schema).toContain('errorCodes');
  });
});
