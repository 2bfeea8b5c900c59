import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import {
  ChildHandle,
  freePort,
  freePortBase,
  parentWatchdogPreload,
  REPO_ROOT,
  SERVICE_NAMES,
  spawnLogged,
  testDatabaseUrl,
  tokenFor,
  TEST_JWT_SECRET,
  waitFor,
  withLogsOnFailure,
} from '@aftersales/testing';

/**
 * Issue 16 items 6 and 7 on the real start path (`apps/all-in-one/src/main.ts`, telemetry started
 * before Nest, express and pg load), exporting over OTLP/HTTP (JSON) to a collector stand-in on
 * 127.0.0.1: a request's trace goes from intake's HTTP span through the outbox relay's producer
 * span to case's consumer span, each naming its service; the services' polling queries make no
 * root spans; every access log line carries the request's trace_id and span_id.
 */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: { stringValue?: string; intValue?: string } }>;
}
const attr = (s: OtlpSpan, key: string) => s.attributes.find((a) => a.key === key)?.value.stringValue;

describe('traces and logs of the all-in-one, exported to an OTLP collector stand-in', () => {
  const spans: OtlpSpan[] = [];
  const database = `aftersales_traces_${randomBytes(4).toString('hex')}`;
  let collector: Server;
  let run: ChildHandle;
  let base: number;

  const admin = async (sql: string) => {
    const c = new Client({ connectionString: testDatabaseUrl() });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    collector = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const payload = JSON.parse(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> };
        for (const r of payload.resourceSpans) for (const s of r.scopeSpans) spans.push(...s.spans);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
    await admin(`CREATE DATABASE "${database}"`);
    base = await freePortBase(SERVICE_NAMES.length);
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${database}`;
    run = spawnLogged(
      'all-in-one',
      process.execPath,
      ['-r', `${REPO_ROOT}/tools/register.js`, `${REPO_ROOT}/apps/all-in-one/src/main.ts`],
      {
        env: {
          ...process.env,
          NODE_OPTIONS: `--require ${parentWatchdogPreload()}`,
          DATABASE_URL: url.toString(),
          AFTERSALES_PORT_BASE: String(base),
          INTAKE_SMTP_PORT: String(await freePort()),
          JWT_SECRET: TEST_JWT_SECRET,
          REGION: 'north',
          LOG_LEVEL: 'info',
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
          OTEL_TRACES_SAMPLER_ARG: '1',
          OTEL_BSP_SCHEDULE_DELAY: '200',
          OUTBOX_POLL_MS: '100',
        },
      },
    );
    await run.waitForLog(/aftersales is up/, 120_000);
  }, 180_000);

  afterAll(async () => {
    await run?.stop(30_000);
    await new Promise((r) => collector?.close(r));
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  }, 60_000);

  it(
    'follows a request from intake over the bus into case, names each service, and logs it with its trace id',
    () =>
      withLogsOnFailure(
        () => [run],
        async () => {
          const [agent, adminToken] = [await tokenFor('agent', { region: 'north' }), await tokenFor('admin', { region: 'north' })];
          const intake = `http://127.0.0.1:${base + 1}`;
          const post = (path: string, token: string, body: unknown, headers: Record<string, string> = {}) =>
            fetch(intake + path, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
              body: JSON.stringify(body),
            });
          expect((await post('/customers', adminToken, { id: 'C-TRACE', name: 'Trace Bank' })).status).toBe(201);
          const traceId = randomBytes(16).toString('hex');
          const filed = await post(
            '/requests',
            agent,
            {
              customerId: 'C-TRACE',
              contact: { name: 'T', email: 't@trace.example' },
              channel: 'phone',
              severity: 'P3',
              symptom: 'traced',
            },
            { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
          );
          expect(filed.status).toBe(201);

          // the trace: intake's HTTP span → publish (intake) → process (case), and on into case's own events
          const inTrace = () => spans.filter((s) => s.traceId === traceId);
          const consumer = await waitFor('case to process the request in the same trace', () =>
            inTrace().find((s) => s.name === 'process aftersales.intake.requests.v1' && attr(s, 'aftersales.service') === 'case'),
          );
          const producer = inTrace().find((s) => s.spanId === consumer.parentSpanId)!;
          expect(producer).toMatchObject({ name: 'publish aftersales.intake.requests.v1', kind: 4 }); // PRODUCER
          expect(attr(producer, 'aftersales.service')).toBe('intake');
          expect(consumer.kind).toBe(5); // CONSUMER
          expect(attr(consumer, 'messaging.consumer.group.name')).toBe('case.aftersales.intake.requests.v1');
          const server = inTrace().find((s) => s.kind === 2 && attr(s, 'aftersales.service') === 'intake'); // SERVER
          expect(server).toBeDefined();
          // database spans only under a request or an event: the relays', firing loop's and gauges' polling makes none
          const rootQueries = spans.filter((s) => attr(s, 'db.system') === 'postgresql' && !s.parentSpanId);
          expect(spans.filter((s) => attr(s, 'db.system') === 'postgresql').length).toBeGreaterThan(0);
          expect(rootQueries.map((s) => s.name)).toEqual([]);

          // the access log: one line per request, in the request's trace
          const lines = run
            .log()
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as Record<string, unknown>);
          const access = await waitFor('the access line of the request', () =>
            lines.find((l) => l.context === 'http' && (l.http as { route?: string })?.route === '/requests' && l.trace_id === traceId),
          );
          expect(access).toMatchObject({ level: 'info', service: 'intake', msg: expect.stringMatching(/^POST \/requests 201 [\d.]+ ms$/) });
          expect(access.span_id).toMatch(/^[0-9a-f]{16}$/);
          expect(lines.filter((l) => l.context === 'http' && !l.trace_id)).toEqual([]);
        },
      ),
    90_000,
  );
});
