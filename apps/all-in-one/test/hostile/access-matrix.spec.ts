import { ManualClock, Role, signDevToken } from '@aftersales/platform';
import { tokenFor } from '@aftersales/testing';
import { seededParams } from './support/hostile';
import { BODIES, QUERIES } from './support/valid-requests';
import { fetchDocuments, fillPath, pathParams, queryParams, Route, routesOf } from './support/openapi';
import { Seeded, seed, seedChannelsAndTimers, seedFollowUps } from './support/seed';
import { Stack, startStack, token } from './support/stack';

/**
 * Every route of the six services × every kind of caller → the documented answer. The document
 * says who may call a route (`x-roles`, from the guards); the rule for records is one everywhere:
 * staff see their token's region (a `global: true` token every region), a customer its own
 * records, anything else is 404 as if absent; customers get 404 on staff-only routes about a
 * record, 403 on staff-only collections; a missing, expired or badly signed token is 401.
 * Every answer to another region or another customer is searched for the records it must not show.
 */
type Caller =
  'none' | 'expired' | 'badsig' | 'otherRegion' | 'otherCustomer' | 'customer' | 'engineer' | 'agent' | 'manager' | 'global' | 'admin';

/** Out-of-scope callers first: each write meets the record before an in-scope caller may delete it. */
const CALLERS: Caller[] = [
  'none',
  'expired',
  'badsig',
  'otherRegion',
  'otherCustomer',
  'customer',
  'engineer',
  'agent',
  'manager',
  'global',
  'admin',
];
const ROLES_OF: Record<Caller, Role[]> = {
  none: [],
  expired: [],
  badsig: [],
  otherRegion: ['admin'],
  otherCustomer: ['customer'],
  customer: ['customer'],
  engineer: ['engineer'],
  agent: ['agent'],
  manager: ['manager'],
  global: ['manager'],
  admin: ['admin'],
};

/** Reference data every region's staff (and, where the roles allow, customers) may read: not a record of one customer or region. */
const SHARED = [
  /^\/engineers\/\{id\}$/,
  /^\/policies\//,
  /^\/knowledge\/articles\/\{id\}/,
  /^\/calendars\/\{id\}/,
  /^\/imports\/\{kind\}$/,
  /^\/inspection-checklists\/\{model\}$/,
  /^\/parts\/\{partNumber\}$/,
  /^\/templates\/\{id\}/,
];
/**
 * A region's view of a week (survey periods and weekly reports): the week is no record, each
 * region's staff read their own region's view of it (`?region=` is the global token's choice).
 * Another region gets its own view, which must show none of the records under test.
 */
const REGION_VIEWS = ['/periods/{week}', '/reports/weeks/{week}', '/reports/weeks/{week}/cases'];
/** Routes left out of the matrix: none; a route added later must be seeded here, or listed with its reason. */
const NOT_SEEDED: RegExp[] = [];
/** Routes about something the seed does not make: 404 for everyone who may ask (none: a route added later is seeded, or listed here). */
const ABSENT: string[] = [];

interface Probe {
  route: Route;
  caller: Caller;
  method: string;
  path: string;
  /** allowed answers */
  expect: number[] | 'passes';
}

describe('access matrix: every route of the six services × every kind of caller (in-process, two regions, two customers)', () => {
  const clock = new ManualClock('2026-05-04T01:00:00Z');
  let stack: Stack;
  let north: Seeded; // customer C-N1 in region north: the records under test
  let neighbour: Seeded; // customer C-N2, also north: the other customer
  let south: Seeded; // customer C-S1 in region south: the other region
  let routes: Route[];
  const tokens = {} as Record<Caller, string | undefined>;
  const results: Array<Probe & { status: number; body: string }> = [];

  beforeAll(async () => {
    stack = await startStack(undefined, { clock, env: { INTAKE_SMTP_PORT: '0' } });
    north = await seed(stack, { suffix: 'N1', n: 1 });
    // 09:00 in Shanghai on Monday 4 May: a remote check due now, and April's record due since its end
    north = { ...north, ...(await seedChannelsAndTimers(stack, north, clock, { monthEnd: '2026-04-30T15:00:00Z', today: '2026-05-04' })) };
    north = { ...north, ...(await seedFollowUps(stack, north, clock)) };
    neighbour = await seed(stack, { suffix: 'N2', n: 2 });
    south = await seed(stack, { suffix: 'S1', n: 3, region: 'south' });
    routes = routesOf(await fetchDocuments(stack)).filter((r) => !NOT_SEEDED.some((re) => re.test(r.path)));
    Object.assign(tokens, {
      none: undefined,
      expired: await tokenFor('admin', { ttl: '-1s' }),
      badsig: await signDevToken('not-the-services-secret-0123456789', { sub: 'mallory', roles: ['admin'], region: 'north' }),
      otherRegion: await token('admin', { region: 'south' }),
      otherCustomer: await token('customer', { customerId: neighbour.customerId }),
      customer: await token('customer', { customerId: north.customerId }),
      engineer: await token('engineer', { sub: north.engineerId }),
      agent: await token('agent'),
      manager: await token('manager'),
      global: await token('manager', { global: true, region: 'east' }),
      admin: await token('admin'),
    });
  }, 180_000);
  afterAll(() => stack?.stop(), 60_000);

  const xRoles = (r: Route) => (r.op['x-roles' as keyof typeof r.op] ?? 'any') as Role[] | 'any' | 'public';

  function expected(r: Route, caller: Caller): Probe['expect'] {
    const roles = xRoles(r);
    // a public route (survey's one-time answer form: the token in the path is the key) ignores the bearer
    if (roles === 'public') return 'passes';
    if (caller === 'none' || caller === 'expired' || caller === 'badsig') return [401];
    const hasParams = pathParams(r).length > 0;
    const customerOnly = ROLES_OF[caller].every((x) => x === 'customer');
    if (roles !== 'any' && !roles.some((x) => ROLES_OF[caller].includes(x))) return [customerOnly && hasParams ? 404 : 403];
    const aboutNorthRecord = hasParams && !SHARED.some((re) => re.test(r.path));
    if (aboutNorthRecord && caller === 'otherRegion' && REGION_VIEWS.includes(r.path)) return 'passes';
    if (aboutNorthRecord && (caller === 'otherRegion' || caller === 'otherCustomer')) return [404];
    if (r.method !== 'GET') return 'passes';
    if (ABSENT.includes(r.path)) return [404];
    return [200];
  }

  /** Values pointing at C-N1's records for a list route's filters: an out-of-scope caller must find nothing with them. */
  function filtersAt(r: Route, s: Seeded): string[] {
    const values: Record<string, string> = {
      customerId: s.customerId,
      caseId: s.caseId,
      requestId: s.requestId,
      caseNumber: s.caseNumber,
      region: 'north',
      siteId: s.siteId,
      contractId: s.contractId,
      serialNumber: s.serialNumber,
      serial: s.serialNumber,
      linkedRequestId: s.requestId,
      phone: s.phone,
      symptom: 'array offline',
    };
    return queryParams(r)
      .filter((p) => values[p.name] !== undefined)
      .map((p) => `?${p.name}=${encodeURIComponent(values[p.name]!)}`);
  }

  /** Strings that appear only in C-N1's (and, for another region, C-N2's) records. */
  const markers = (caller: Caller) => {
    const of = (s: Seeded) => [
      s.customerId,
      s.caseId,
      s.caseNumber,
      s.requestId,
      s.voicemailId,
      s.visitId,
      s.reportId,
      s.serialNumber,
      s.contactId,
      s.siteId,
      s.depotId,
      s.partRequestId,
      s.repairOrderId,
      s.personId,
      ...[
        s.agreementId,
        s.loanId,
        s.askId,
        s.purchasePlanId,
        s.returnId,
        s.surveyId,
        s.callbackId,
        s.emailId,
        s.attachmentId,
        s.inspectionId,
        s.maintenanceRecordId,
      ].filter((id): id is string => id !== undefined),
    ];
    if (caller === 'otherRegion') return [...of(north), ...of(neighbour)];
    if (caller === 'otherCustomer') return of(north);
    return [];
  };

  async function send(r: Route, caller: Caller, path: string, expect: Probe['expect']) {
    const t = stack.get(r.service);
    const headers: Record<string, string> = {};
    if (tokens[caller]) headers.authorization = `Bearer ${tokens[caller]}`;
    const body = r.method === 'GET' ? undefined : JSON.stringify(BODIES[`${r.method} ${r.path}`]?.(north) ?? {});
    if (body) headers['content-type'] = 'application/json';
    const res = await fetch(t.service.url + path, { method: r.method, headers, body });
    results.push({ route: r, caller, method: r.method, path, expect, status: res.status, body: await res.text() });
  }

  it('answers each caller as documented, and shows no record of another region or customer', async () => {
    const reads = routes.filter((r) => r.method === 'GET');
    // deletes last: they may remove what the other writes are about
    const writes = routes.filter((r) => r.method !== 'GET').sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
    for (const r of [...reads, ...writes]) {
      const path = fillPath(r.path, seededParams(r, north));
      for (const caller of CALLERS) {
        const expect = expected(r, caller);
        await send(r, caller, path + (QUERIES[r.path]?.(north) ?? ''), expect);
        if (r.method === 'GET' && pathParams(r).length === 0 && markers(caller).length) {
          // filters naming C-N1's records: refused as the route is, or answered without them
          for (const q of filtersAt(r, north))
            await send(r, caller, path + q, Array.isArray(expect) && expect[0]! >= 400 ? expect : 'passes');
        }
      }
    }

    // past the guard and the scope: anything but 401, a 5xx, or a 403 the route does not document (a rule of the route's own)
    const refusedAnyway = (x: (typeof results)[number]) =>
      x.status === 401 || x.status >= 500 || (x.status === 403 && !('403' in x.route.op.responses));
    const wrong = results
      .filter((x) => (x.expect === 'passes' ? refusedAnyway(x) : !x.expect.includes(x.status)))
      .map(
        (x) =>
          `${x.route.service} ${x.method} ${x.path} as ${x.caller}: ${x.status}, documented ${JSON.stringify(x.expect)} ${x.body.slice(0, 160)}`,
      );
    // a marker the caller sent itself (a filter echoed back in the answer) shows nothing new
    const shown = (x: (typeof results)[number]) =>
      markers(x.caller).filter((m) => x.body.includes(m) && !decodeURIComponent(x.path).includes(m));
    const leaks = results
      .filter((x) => x.status < 300 && shown(x).length > 0)
      .map((x) => `${x.route.service} ${x.method} ${x.path} as ${x.caller} shows ${shown(x).join(', ')}`);
    const crossCustomer = results.filter((x) => x.caller === 'otherCustomer').length;
    const crossRegion = results.filter((x) => x.caller === 'otherRegion').length;
    console.log(
      `access matrix: ${results.length} requests over ${routes.length} routes × ${CALLERS.length} callers; ` +
        `${crossCustomer} as another customer and ${crossRegion} as another region: ${leaks.length} leaks, ${wrong.length} undocumented answers`,
    );
    expect({ wrong, leaks }).toEqual({ wrong: [], leaks: [] });
  }, 300_000);

  it('lets a global token and each region’s own staff read their records: the 404s above are scoping, not breakage', async () => {
    const global = tokens.global!;
    const southAdmin = tokens.otherRegion!;
    for (const [service, path] of [
      ['intake', `/customers/${south.customerId}`],
      ['intake', `/requests/${south.requestId}`],
      ['case', `/cases/${south.caseId}`],
      ['escalation', `/cases/${south.caseId}/timeline`],
    ] as const) {
      for (const [who, tk] of [
        ['global', global],
        ['south admin', southAdmin],
      ]) {
        const res = await stack.get(service).http('GET', path, { token: tk });
        expect({ service, path, who, status: res.status }).toEqual({ service, path, who, status: 200 });
      }
    }
    // ?region= never widens a regional token's scope, and a global token's filter works
    const asSouth = await stack.get('intake').http('GET', '/customers?region=north', { token: southAdmin });
    expect(asSouth.body.items).toEqual([]);
    const asGlobal = await stack.get('intake').http('GET', '/customers?region=north', { token: global });
    expect(asGlobal.body.items.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([north.customerId, neighbour.customerId]));
    expect(asGlobal.body.items.map((c: { region: string }) => c.region)).toEqual(asGlobal.body.items.map(() => 'north'));
  });
});
