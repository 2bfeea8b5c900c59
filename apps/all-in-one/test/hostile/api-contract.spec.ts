import { ManualClock } from '@aftersales/platform';
import { ContractChecker } from './support/contract';
import { seededParams } from './support/hostile';
import { fetchDocuments, fillPath, Route, routesOf } from './support/openapi';
import { Seeded, seed } from './support/seed';
import { Stack, startStack, token } from './support/stack';
import { waitFor } from '@aftersales/testing';
import { BODIES, CREATES, QUERIES } from './support/valid-requests';

/**
 * The API contract an integrator reads: every route of the six services documents the
 * JSON it answers (2xx bodies and the shared Problem shape for errors) and the real answers match
 * the documents, checked with ajv against the services' own /docs/openapi.json.
 */
const CONTRACTED = ['intake', 'case', 'escalation', 'spares', 'survey', 'notify'];
/** Routes whose answers are not documented yet: listed, so the list only shrinks (empty: every route is checked). */
const NOT_YET_DOCUMENTED: RegExp[] = [];

describe('API contract: real answers match the OpenAPI documents (all six services)', () => {
  let stack: Stack;
  let seeded: Seeded;
  let routes: Route[];
  const checker = new ContractChecker();

  beforeAll(async () => {
    stack = await startStack(undefined, { clock: new ManualClock('2026-05-04T01:00:00Z') });
    seeded = await seed(stack);
    routes = routesOf(await fetchDocuments(stack)).filter(
      (r) => CONTRACTED.includes(r.service) && !NOT_YET_DOCUMENTED.some((re) => re.test(r.path)),
    );
  }, 120_000);
  afterAll(() => stack?.stop(), 60_000);

  async function call(r: Route, tk: string) {
    const key = `${r.method} ${r.path}`;
    const create = CREATES[key]?.(seeded);
    const json = BODIES[key]?.(seeded);
    const body = r.method === 'GET' ? undefined : create ? create.body : (json ?? {});
    const contentType = create?.contentType ?? 'application/json';
    const res = await fetch(
      stack.get(r.service).service.url + fillPath(r.path, seededParams(r, seeded)) + (QUERIES[r.path]?.(seeded) ?? ''),
      {
        method: r.method,
        headers: { authorization: `Bearer ${tk}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      },
    );
    return { status: res.status, contentType: res.headers.get('content-type'), body: await res.text() };
  }

  it('documents a JSON schema for every 2xx answer and the Problem shape for every error, and the answers match', async () => {
    const admin = await token('admin');
    const customer = await token('customer', { customerId: seeded.customerId });
    const ordered = [...routes].sort((a, b) => rank(a) - rank(b));
    const problems: string[] = [];
    const ok = new Set<string>();
    for (const r of ordered) {
      for (const tk of r.method === 'GET' ? [admin, customer] : [admin]) {
        const a = await call(r, tk);
        if (a.status < 300) ok.add(`${r.service} ${r.method} ${r.path}`);
        problems.push(...checker.check(r, a.status, a.body, a.contentType));
      }
      // every route documents its 2xx answer, whether or not this run reached it
      const success = Object.keys(r.op.responses).filter((s) => s.startsWith('2'));
      if (!success.length) problems.push(`${r.service} ${r.method} ${r.path}: no 2xx answer documented`);
      for (const s of success) {
        const content = r.op.responses[s]?.content;
        if (s !== '204' && !content) problems.push(`${r.service} ${r.method} ${r.path}: ${s} documents no body`);
      }
    }
    console.log(`api contract: ${routes.length} routes, ${ok.size} answered 2xx here, ${problems.length} problems`);
    expect(problems).toEqual([]);
  }, 300_000);

  it('takes times only with an offset, everywhere: a bare date or a local time is a 400 naming the field', async () => {
    const admin = await token('admin');
    const simulate = (startedAt: string) =>
      stack.get('escalation').http('POST', '/policies/ladder-a/simulate', { token: admin, body: { severity: 'P2', startedAt } });
    const voicemail = (recordedAt: string) =>
      stack
        .get('intake')
        .http('POST', '/voicemails', { token: admin, body: { callerNumber: '+86 10 1234 5678', message: 'x', recordedAt } });
    const visit = (plannedArrivalAt: string) =>
      stack
        .get('case')
        .http('POST', `/cases/${seeded.caseId}/visits`, { token: admin, body: { engineerId: seeded.engineerId, plannedArrivalAt } });
    for (const [name, send, field] of [
      ['simulate', simulate, 'startedAt'],
      ['voicemail', voicemail, 'recordedAt'],
      ['visit', visit, 'plannedArrivalAt'],
    ] as const) {
      for (const bad of ['2026-05-04', '2026-05-04T09:00:00', '2026-05-04 09:00:00+08:00', '2026-02-30T09:00:00Z']) {
        const res = await send(bad);
        expect({ name, bad, status: res.status, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({
          name,
          bad,
          status: 400,
          fields: [field],
        });
      }
    }
    const ok = await simulate('2026-05-04T09:00:00+08:00');
    expect(ok.status).toBe(200);
    expect(ok.body.startedAt).toBe('2026-05-04T01:00:00.000Z');
    // and the answer shows the calendar's wall clock next to UTC
    const local = await stack.get('escalation').http('POST', '/policies/ladder-a/simulate', {
      token: admin,
      body: { severity: 'P2', startedAt: '2026-05-04T09:00:00+08:00', calendarId: seeded.calendarId },
    });
    expect(local.status).toBe(200);
    expect(local.body).toMatchObject({ timeZone: 'Asia/Shanghai', startedAtLocal: '2026-05-04T09:00:00+08:00' });
    expect(local.body.events.every((e: { dueAtLocal: string | null }) => e.dueAtLocal === null || e.dueAtLocal.endsWith('+08:00'))).toBe(
      true,
    );
  });

  it('shows a clock paused while the case waits on the customer (was `running` with a pausedSince)', async () => {
    const admin = await token('admin');
    const cases = stack.get('case');
    // its own records: the contract test above may have deleted the seeded ones
    const intake = stack.get('intake');
    await intake.http('POST', '/customers', { token: admin, body: { id: 'C-WAIT', name: 'Waiting' } });
    await intake.http('POST', '/contracts', {
      token: admin,
      body: { id: 'K-WAIT', customerId: 'C-WAIT', coverage: '7x24', startsOn: '2026-01-01', endsOn: '2027-12-31' },
    });
    await cases.http('POST', '/engineers', {
      token: admin,
      body: { id: 'E-WAIT', name: 'Wu', tier: 'L2', grade: 'product-engineer', region: 'north' },
    });
    const request = await intake.http('POST', '/requests', {
      token: admin,
      body: { customerId: 'C-WAIT', contact: { name: 'Li' }, channel: 'phone', severity: 'P2', symptom: 'slow array' },
    });
    expect(request.status).toBe(201);
    const caseId = await waitFor(
      'the case',
      async () => (await stack.get('intake').http('GET', `/requests/${request.body.id}`, { token: admin })).body.caseId ?? undefined,
    );
    const clocks = () => stack.get('escalation').http('GET', `/cases/${caseId}/clocks`, { token: admin });
    await waitFor('clocks started', async () => (await clocks()).status === 200);
    await cases.http('POST', `/cases/${caseId}/assignment`, { token: admin, body: { engineerId: 'E-WAIT', reason: 'x' } });
    expect((await cases.http('POST', `/cases/${caseId}/transitions`, { token: admin, body: { to: 'in-progress' } })).status).toBe(200);
    expect(
      (await cases.http('POST', `/cases/${caseId}/transitions`, { token: admin, body: { to: 'waiting-customer', reason: 'needs logs' } }))
        .status,
    ).toBe(200);
    const paused = await waitFor('a paused clock', async () => {
      const items: Array<{ state: string; pausedSince: string | null }> = (await clocks()).body.items;
      return items.some((c) => c.pausedSince) ? items : undefined;
    });
    for (const c of paused) expect(c.pausedSince ? c.state : 'n/a').toMatch(/^(paused|n\/a)$/);
    const timeline = await stack.get('escalation').http('GET', `/cases/${caseId}/timeline`, { token: admin });
    expect(timeline.body.clocks.some((c: { state: string }) => c.state === 'paused')).toBe(true);
  });

  it('lists a customer’s cases for staff with ?customerId=, and a customer only its own', async () => {
    const admin = await token('admin');
    const mine = await stack.get('case').http('GET', `/cases?customerId=${seeded.customerId}`, { token: admin });
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((c: { customerId: string }) => c.customerId === seeded.customerId)).toBe(true);
    expect((await stack.get('case').http('GET', '/cases?customerId=C-NOBODY', { token: admin })).body.items).toEqual([]);
    const customer = await token('customer', { customerId: seeded.customerId });
    expect((await stack.get('case').http('GET', `/cases?customerId=${seeded.customerId}`, { token: customer })).body.total).toBe(
      mine.body.total,
    );
    expect((await stack.get('case').http('GET', '/cases?customerId=C-OTHER', { token: customer })).body).toMatchObject({
      items: [],
      total: 0,
    });
  });
});

/** Reads first, then writes, deletes last (they may remove what the others are about). */
function rank(r: Route): number {
  return r.method === 'GET' ? 0 : r.method === 'DELETE' ? 2 : 1;
}
