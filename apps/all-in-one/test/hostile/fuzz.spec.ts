import fc from 'fast-check';
import { ManualClock } from '@aftersales/platform';
import { ContractChecker } from './support/contract';
import { HostileRequest, hostileRequests } from './support/hostile';
import { fetchDocuments, Route, routesOf } from './support/openapi';
import { Seeded, seed } from './support/seed';
import { allRowCounts, ServiceName, Stack, startStack, token, waitForQuiet } from './support/stack';

/**
 * Hostile input against all six services (in-process, one bus, real PostgreSQL), generated from
 * their OpenAPI documents with fast-check and a fixed seed: every route, with hostile path
 * parameters, query strings, bodies (wrong types, nulls, deep nesting, huge strings, NUL, lone
 * surrogates, SQL/HTML injection, prototype keys) and content types. Asserts no 5xx, the services
 * healthy afterwards, and that the rejected requests write nothing.
 *
 * CI runs FUZZ_REQUESTS=10 500 (the default) and replays FUZZ_REPLAY=1 500 of the rejected ones;
 * `npm run test:fuzz` runs 50 000 and replays them all (FUZZ_SEED explores other inputs).
 */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_500);
const SEED = Number(process.env.FUZZ_SEED ?? 17);
/** how many of the rejected requests are replayed against row counts (evenly spread over all routes) */
const REPLAY = Number(process.env.FUZZ_REPLAY ?? 1_500);
const CONCURRENCY = 8;
// a deadline for a stuck run only: on a shared, loaded machine the same run takes several times longer
const BUDGET_MS = Math.max(1_200_000, REQUESTS * 120);

interface Sent extends HostileRequest {
  service: ServiceName;
  spec: Route;
  /** which token: most go as an admin of the services' region, to reach past the role checks */
  as: 'admin' | 'agent' | 'customer' | 'none';
}

interface Answer {
  req: Sent;
  status: number;
  body: string;
  ms: number;
}

describe(`fuzz: ${REQUESTS} hostile requests generated from the OpenAPI documents (seed ${SEED})`, () => {
  let stack: Stack;
  let seeded: Seeded;
  let routes: Route[];
  const tokens: Record<Sent['as'], string | undefined> = { admin: undefined, agent: undefined, customer: undefined, none: undefined };
  let answers: Answer[] = [];

  beforeAll(async () => {
    // time stands still: no clock fires, no sweep runs, so row counts move only by requests
    stack = await startStack(undefined, { clock: new ManualClock('2026-05-04T01:00:00Z') });
    seeded = await seed(stack);
    routes = routesOf(await fetchDocuments(stack));
    tokens.admin = await token('admin');
    tokens.agent = await token('agent');
    tokens.customer = await token('customer', { customerId: seeded.customerId });
  }, 120_000);
  afterAll(() => stack?.stop(), 60_000);

  async function send(req: Sent): Promise<Answer> {
    const t = stack.get(req.service);
    const headers: Record<string, string> = {};
    const bearer = tokens[req.as];
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (req.contentType) headers['content-type'] = req.contentType;
    if (req.idempotencyKey !== undefined) headers['idempotency-key'] = req.idempotencyKey;
    const t0 = performance.now();
    try {
      const res = await fetch(t.service.url + req.path, { method: req.method, headers, body: req.body });
      return { req, status: res.status, body: (await res.text()).slice(0, 20_000), ms: performance.now() - t0 };
    } catch (e) {
      // the client refused to send it (e.g. a malformed header) or the connection broke: recorded, and a broken one fails below
      // (fetch's TypeError comes from another realm than jest's: not `instanceof Error`)
      const err = e as { message?: string; cause?: unknown };
      const cause = typeof err.cause === 'string' ? err.cause : ((err.cause as { message?: string } | undefined)?.message ?? '');
      const body = `${err.message ?? String(e)} ${cause}`;
      return { req, status: -1, body, ms: performance.now() - t0 };
    }
  }

  async function sendAll(requests: Sent[]): Promise<Answer[]> {
    const out: Answer[] = new Array(requests.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < requests.length; i = next++) out[i] = await send(requests[i]!);
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return out;
  }

  function generate(): Sent[] {
    const perRoute = Math.ceil(REQUESTS / routes.length);
    const who: Sent['as'][] = ['admin', 'admin', 'admin', 'admin', 'admin', 'admin', 'agent', 'customer', 'admin', 'none'];
    return routes.flatMap((r, i) =>
      fc
        .sample(hostileRequests(r, seeded), { seed: SEED + i, numRuns: perRoute })
        .map((req, j) => ({ ...req, service: r.service, spec: r, as: who[(i + j) % who.length]! })),
    );
  }

  const histogram = (list: Answer[]) =>
    Object.fromEntries(
      Object.entries(
        list.reduce<Record<string, number>>((h, a) => {
          h[a.status] = (h[a.status] ?? 0) + 1;
          return h;
        }, {}),
      ).sort(([a], [b]) => Number(a) - Number(b)),
    );

  it(
    'answers every generated request with a 2xx/4xx (0 × 5xx), and the services stay healthy',
    async () => {
      const requests = generate();
      expect(requests.length).toBeGreaterThanOrEqual(REQUESTS);
      const started = Date.now();
      answers = await sendAll(requests);
      const seconds = (Date.now() - started) / 1000;
      const byService = Object.fromEntries(
        [...stack.services.keys()].map((s) => [s, histogram(answers.filter((a) => a.req.service === s))]),
      );
      const slow = Object.entries(
        answers.reduce<Record<string, number>>((m, a) => ({ ...m, [a.req.route]: (m[a.req.route] ?? 0) + a.ms }), {}),
      )
        .sort(([, a], [, b]) => b - a)
        .slice(0, 5)
        .map(([route, ms]) => `${route} ${(ms / 1000).toFixed(1)} s`);
      console.log(
        [
          `fuzz: ${answers.length} requests over ${routes.length} routes in ${seconds.toFixed(1)} s (seed ${SEED})`,
          `  slowest routes (summed): ${slow.join(', ')}`,
          `  status histogram: ${JSON.stringify(histogram(answers))}`,
          ...Object.entries(byService).map(([s, h]) => `  ${s}: ${JSON.stringify(h)}`),
        ].join('\n'),
      );
      const failures = answers
        .filter((a) => a.status >= 500 || (a.status === -1 && !/header|ByteString/i.test(a.body)))
        .map(
          (a) =>
            `${a.status} ${a.req.route} ${a.req.method} ${a.req.path.slice(0, 200)} ${String(a.req.body ?? '').slice(0, 200)} → ${a.body}`,
        );
      expect(failures.slice(0, 20)).toEqual([]);
      // every refusal in the one documented error shape
      const checker = new ContractChecker();
      const shapes = answers.filter((a) => a.status >= 400).flatMap((a) => checker.checkProblem(a.req.spec, a.status, a.body));
      expect(shapes.slice(0, 20)).toEqual([]);

      for (const [name, t] of stack.services) {
        for (const probe of ['/health/live', '/health/ready']) {
          const res = await fetch(t.service.url + probe);
          expect({ name, probe, status: res.status }).toEqual({ name, probe, status: 200 });
        }
      }
      // and still serve real work (the fuzz may have deleted the seeded records)
      const customer = await stack
        .get('intake')
        .http('POST', '/customers', { token: tokens.admin, body: { id: 'C-AFTER', name: 'After' } });
      expect(customer.status).toBe(201);
      const ok = await stack.get('intake').http('POST', '/requests', {
        token: tokens.admin,
        body: { customerId: 'C-AFTER', contact: { name: 'Li' }, channel: 'phone', symptom: 'after the storm' },
      });
      expect(ok.status).toBe(201);
    },
    BUDGET_MS,
  );

  it(
    'writes nothing for the requests it rejected (row counts of every schema unchanged by replaying them)',
    async () => {
      const rejected = answers.filter((a) => a.status >= 400 && a.status < 500).map((a) => a.req);
      expect(rejected.length).toBeGreaterThan(REQUESTS / 2);
      const stride = Math.max(1, Math.floor(rejected.length / REPLAY));
      let batch = rejected.filter((_, i) => i % stride === 0);
      // State moved on since (accepted requests), so a few may be accepted now: those are dropped
      // and the rest replayed again, until one replay is rejected whole; its counts must not move.
      for (let round = 1; ; round++) {
        const before = await waitForQuiet(stack);
        const replay = await sendAll(batch);
        const after = await waitForQuiet(stack);
        expect(replay.filter((a) => a.status >= 500).map((a) => `${a.status} ${a.req.route}`)).toEqual([]);
        const flipped = replay.filter((a) => a.status < 400);
        if (flipped.length === 0) {
          expect(after).toEqual(before);
          console.log(
            `fuzz: ${batch.length} rejected requests replayed (round ${round}), 0 rows written in ${Object.keys(before).length} tables`,
          );
          break;
        }
        expect(round).toBeLessThan(4);
        batch = replay.filter((a) => a.status >= 400).map((a) => a.req);
      }
      // the counts are real: a request that is accepted does move them
      expect((await allRowCounts(stack))['intake.service_requests']).toBeGreaterThan(0);
    },
    BUDGET_MS,
  );
});
