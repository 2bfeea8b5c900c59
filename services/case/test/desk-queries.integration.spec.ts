import { InProcessBus } from '@aftersales/messaging';
import {
  deliver,
  requestReceived,
  startTestService,
  TestService,
  testDatabaseUrl,
  tokenFor,
  upstreamEvent,
  waitFor,
} from '@aftersales/testing';
import { Client } from 'pg';
import { caseService } from '../src/case.service-definition';
import { TOTAL_COUNTED_PAST_PAGE } from '../src/cases/cases.service';

/** What the desk asks the case service: queues (open, a team's, a product line) and the transitions the caller may make. */
describe('case service for the desk: queue filters and allowed transitions (real PostgreSQL)', () => {
  let t: TestService;
  let admin: string;
  let agent: string;
  let customer: string;
  const ids: Record<string, string> = {};

  const open = async (name: string, over: Parameters<typeof requestReceived>[0]) => {
    const r = requestReceived(over);
    await deliver(t.bus, upstreamEvent('intake.request.received.v1', r.requestId, r));
    ids[name] = await waitFor(`case ${name}`, async () => (await t.http('GET', `/cases?requestId=${r.requestId}`)).body.items[0]?.id);
  };
  const assign = (name: string, engineerId: string) =>
    t.http('POST', `/cases/${ids[name]}/assignment`, { token: agent, body: { engineerId, reason: 'desk test' } });
  const list = async (query: string) =>
    ((await t.http('GET', `/cases?${query}`, { token: agent })).body.items as Array<{ id: string }>).map((c) => c.id).sort();

  beforeAll(async () => {
    t = await startTestService(caseService, { bus: new InProcessBus(), env: { CASE_ASSIGN_RETRY_MS: '0' } });
    [admin, agent, customer] = await Promise.all([tokenFor('admin'), tokenFor('agent'), tokenFor('customer', { customerId: 'C-100' })]);
    await open('storage', { severity: 'P1', productLine: 'storage' });
    await open('network', { severity: 'P3', productLine: 'network' });
    await open('third', { severity: 'P3', productLine: 'network' });
    await open('closed', { severity: 'P4', productLine: 'network' });
    // engineers join after the cases opened, so the desk assigns them by hand
    for (const e of [
      { id: 'e-stor', name: 'Storage Expert', tier: 'L3', grade: 'technical-expert', region: 'north', skills: ['storage'] },
      { id: 'e-net', name: 'Network Hotline', tier: 'L1', grade: 'product-engineer', region: 'north', skills: ['network'] },
      { id: 'e-other', name: 'Other', tier: 'L1', grade: 'product-engineer', region: 'north', skills: ['network'] },
    ]) {
      expect((await t.http('POST', '/engineers', { token: admin, body: e })).status).toBe(201);
    }
    for (const [name, eng] of [
      ['storage', 'e-stor'],
      ['network', 'e-net'],
      ['third', 'e-other'],
    ] as const) {
      expect((await assign(name, eng)).status).toBe(200);
    }
    const closed = await t.http('POST', `/cases/${ids.closed}/transitions`, { token: agent, body: { to: 'closed', reason: 'no fault' } });
    expect(closed.status).toBe(200);
  });
  afterAll(() => t.stop());

  it('lists only open cases, a team’s cases (several assignees), and a product line', async () => {
    expect(await list('open=true')).toEqual([ids.storage, ids.network, ids.third].sort());
    expect(await list('assignee=e-stor,e-net')).toEqual([ids.storage, ids.network].sort());
    expect(await list('productLine=network&open=true')).toEqual([ids.network, ids.third].sort());
    expect(await list('open=true&status=closed')).toEqual([]);
    expect((await t.http('GET', '/cases?open=maybe', { token: agent })).status).toBe(400);
  });

  it('pages a region newest first with its exact total, counting no further than past the page', async () => {
    const page = async (query: string) => (await t.http('GET', `/cases?${query}`, { token: agent })).body;
    const all = await page('limit=10');
    expect(all).toMatchObject({ total: 4, totalExact: true, limit: 10, offset: 0 });
    const opened = (all.items as Array<{ openedAt: string }>).map((c) => c.openedAt);
    expect(opened).toEqual([...opened].sort().reverse());
    expect(await page('limit=2')).toMatchObject({ total: 4, totalExact: true });
    expect(await page('limit=2&offset=3')).toMatchObject({ total: 4, totalExact: true });
    expect(await page('limit=2&offset=9')).toMatchObject({ items: [], total: 4, totalExact: true });

    // a busy region, written straight to the table: counting stops a fixed distance past the page
    const db = new Client({ connectionString: testDatabaseUrl() });
    await db.connect();
    try {
      await db.query(
        `INSERT INTO "${t.schema}".cases (id, case_number, request_id, region, customer_id, contact, severity, symptom, status, opened_at)
         SELECT gen_random_uuid(), 'BUSY-' || g, gen_random_uuid(), 'busy', 'C-1', '{"name":"n"}', 'P3', 'busy region', 'triaged',
                now() - g * interval '1 second'
           FROM generate_series(1, $1::int) g`,
        [TOTAL_COUNTED_PAST_PAGE + 50],
      );
    } finally {
      await db.end();
    }
    const busy = await tokenFor('agent', { region: 'busy' });
    const first = (await t.http('GET', '/cases?limit=20', { token: busy })).body;
    expect(first.items).toHaveLength(20);
    expect(first).toMatchObject({ total: 20 + TOTAL_COUNTED_PAST_PAGE, totalExact: false });
    const last = (await t.http('GET', `/cases?limit=20&offset=${TOTAL_COUNTED_PAST_PAGE + 40}`, { token: busy })).body;
    expect(last).toMatchObject({ total: TOTAL_COUNTED_PAST_PAGE + 50, totalExact: true });
    expect(last.items).toHaveLength(10);
  });

  it('tells each role which moves it may make now, and which need a reason', async () => {
    const res = await t.http('GET', `/cases/${ids.storage}/transitions`, { token: agent });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('assigned');
    const to = new Map(res.body.allowed.map((a: { to: string; reasonRequired: boolean }) => [a.to, a.reasonRequired]));
    expect(to.get('in-progress')).toBe(false);
    expect(to.get('waiting-customer')).toBe(true);
    expect(to.has('closed')).toBe(false);

    const closed = await t.http('GET', `/cases/${ids.closed}/transitions`, { token: customer });
    expect(closed.body).toEqual({ status: 'closed', allowed: [{ to: 'reopened', reasonRequired: true }] });
    const other = await t.http('GET', `/cases/${ids.closed}/transitions`, { token: await tokenFor('customer', { customerId: 'C-OTHER' }) });
    expect(other.status).toBe(404);
  });
});
