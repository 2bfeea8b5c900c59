import { InProcessBus } from '@aftersales/messaging';
import { recordTopic, startTestService, TestService, tokenFor, waitFor } from '@aftersales/testing';
import { intakeService } from '../src/intake.service-definition';
import { seedRegistry } from './requests.seed';

const valid = {
  customerId: 'C-100',
  contact: { name: 'Li Wei', email: 'li.wei@example.com', phone: '+86 10 5555 0100' },
  channel: 'phone',
  severity: 'P1',
  symptom: 'whole cluster down after power failure',
  errorCodes: ['E42'],
  serialNumber: 'SN-0001',
};

describe('intake service: POST /requests (real PostgreSQL, in-process bus)', () => {
  let t: TestService;
  let published: Awaited<ReturnType<typeof recordTopic>>;
  beforeAll(async () => {
    const bus = new InProcessBus();
    published = await recordTopic(bus, 'aftersales.intake.requests.v1');
    t = await startTestService(intakeService, { bus, env: { INTAKE_HANDOFF_SWEEP_MS: '0' } });
    // requests are filed only for registered customers
    await seedRegistry(t.service.runtime.dataSource, { customers: [{ id: 'C-100' }, { id: 'C-200' }, { id: 'C-300' }] });
  });
  afterAll(() => t.stop());

  const rows = async () => {
    const [{ requests }] = await t.service.runtime.dataSource.query(`SELECT count(*)::int AS requests FROM "${t.schema}".service_requests`);
    const [{ events }] = await t.service.runtime.dataSource.query(`SELECT count(*)::int AS events FROM "${t.schema}".outbox`);
    return { requests, events };
  };

  it('records the request and publishes intake.request.received.v1 for it', async () => {
    const res = await t.http('POST', '/requests', { body: valid });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ customerId: 'C-100', severity: 'P1', region: 'north', channel: 'phone' });
    const event = await waitFor('the event', () => published.find((e) => e.subject === res.body.id));
    expect(event.type).toBe('intake.request.received.v1');
    expect(event.data).toMatchObject({
      requestId: res.body.id,
      customerId: 'C-100',
      severity: 'P1',
      errorCodes: ['E42'],
      serialNumber: 'SN-0001',
    });
    expect((await t.http('GET', `/requests/${res.body.id}`)).body).toMatchObject({ id: res.body.id, symptom: valid.symptom });
  });

  it('honours Idempotency-Key: a retry returns the same request and writes nothing new', async () => {
    const before = await rows();
    const call = { ...valid, serialNumber: 'SN-0002' }; // another unit: not a duplicate of the first test's call
    const first = await t.http('POST', '/requests', { body: call, headers: { 'idempotency-key': 'call-2026-0001' } });
    const retry = await t.http('POST', '/requests', { body: call, headers: { 'idempotency-key': 'call-2026-0001' } });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await rows()).toEqual({ requests: before.requests + 1, events: before.events + 1 });
    const reused = await t.http('POST', '/requests', {
      body: { ...call, symptom: 'other' },
      headers: { 'idempotency-key': 'call-2026-0001' },
    });
    expect(reused.status).toBe(422);
    expect(reused.body.errors).toEqual([{ field: 'Idempotency-Key', reason: 'reused with a different body' }]);
  });

  describe('bad input is a 4xx naming the field, and writes nothing', () => {
    const cases: Array<[string, unknown, number, string[]]> = [
      ['wrong types', { ...valid, severity: 5, symptom: 42, contact: { name: 7 } }, 400, ['severity', 'symptom', 'contact.name']],
      ['unknown fields', { ...valid, priority: 'high', contact: { ...valid.contact, fax: '1' } }, 400, ['priority', 'contact.fax']],
      ['missing fields', { customerId: 'C-100' }, 400, ['contact', 'channel', 'symptom']],
      ['an oversized field', { ...valid, symptom: 'x'.repeat(4001) }, 400, ['symptom']],
      [
        'a bad e-mail and channel',
        { ...valid, channel: 'fax', contact: { name: 'Li', email: 'not-mail' } },
        400,
        ['channel', 'contact.email'],
      ],
      ['malformed JSON', '{"customerId": "C-1", ', 400, ['(body)']],
      ['an oversized body', { ...valid, errorCodes: Array.from({ length: 20 }, () => 'E'.repeat(4000)) }, 413, ['(body)']],
    ];
    it.each(cases)('%s', async (_, body, status, fields) => {
      const before = await rows();
      const res = await t.http('POST', '/requests', { body });
      expect(res.status).toBe(status);
      const named = (res.body.errors as Array<{ field: string; reason: string }>).map((e) => e.field);
      for (const f of fields) expect(named).toContain(f);
      expect(await rows()).toEqual(before);
    });
  });

  it('needs a valid bearer token on every business route, but not on health, metrics and docs', async () => {
    expect((await t.http('POST', '/requests', { body: valid, token: 'garbage' })).status).toBe(401);
    const noToken = await fetch(`${t.service.url}/requests`);
    expect(noToken.status).toBe(401);
    for (const path of ['/health/live', '/health/ready', '/metrics', '/docs/openapi.json']) {
      expect((await fetch(t.service.url + path)).status).toBe(200);
    }
    const metrics = await (await fetch(`${t.service.url}/metrics`)).text();
    expect(metrics).toMatch(
      /aftersales_http_requests_total\{method="POST",route="\/requests",status="2xx",service="intake",region="north"\} [1-9]/,
    );
    expect(metrics).toMatch(/aftersales_outbox_pending\{service="intake",region="north"\} 0/);
  });

  it('lets a customer file and see only its own requests (404 for another customer’s)', async () => {
    const mine = await tokenFor('customer', { customerId: 'C-200' });
    const theirs = await tokenFor('customer', { customerId: 'C-300' });
    const filed = await t.http('POST', '/requests', { token: mine, body: { ...valid, customerId: undefined, channel: 'portal' } });
    expect(filed.status).toBe(201);
    expect(filed.body.customerId).toBe('C-200');
    expect((await t.http('GET', `/requests/${filed.body.id}`, { token: mine })).status).toBe(200);
    expect((await t.http('GET', `/requests/${filed.body.id}`, { token: theirs })).status).toBe(404);
    const list = await t.http('GET', '/requests?limit=200', { token: theirs });
    expect(list.body.items.map((r: { id: string }) => r.id)).not.toContain(filed.body.id);
    expect((await t.http('POST', '/requests', { token: theirs, body: { ...valid, customerId: 'C-200' } })).status).toBe(403);
  });

  it('paginates lists', async () => {
    const page = await t.http('GET', '/requests?limit=1&offset=0');
    expect(page.body.items).toHaveLength(1);
    expect(page.body.total).toBeGreaterThan(1);
    expect((await t.http('GET', '/requests?limit=500')).status).toBe(400);
  });

  it('files the request without suggestions when the knowledge search fails, once', async () => {
    const before = await rows();
    const table = `"${t.schema}".knowledge_articles`;
    await t.service.runtime.dataSource.query(`ALTER TABLE ${table} RENAME TO knowledge_articles_away`);
    try {
      const res = await t.http('POST', '/requests', { body: { ...valid, serialNumber: 'SN-SEARCH-DOWN' } });
      expect(res.status).toBe(201);
      expect(res.body.suggestedArticles).toEqual([]);
    } finally {
      await t.service.runtime.dataSource.query(`ALTER TABLE "${t.schema}".knowledge_articles_away RENAME TO knowledge_articles`);
    }
    expect(await rows()).toEqual({ requests: before.requests + 1, events: before.events + 1 });
  });
});
