import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { resolveTestKafka, TEST_JWT_SECRET, testDatabaseUrl, TestKafka, tokenFor } from '@aftersales/testing';
import { DistributedSystem, procCpuSeconds, SERVICE_NAMES, withLogsOnFailure } from '@aftersales/testing';
import {
  checkThroughApis,
  dropSchemas,
  endToEndLatencies,
  ensureTopics,
  fileRequests,
  outcomes,
  percentile,
  problems,
  sample,
  Schemas,
  waitForOutcomes,
  waitForQuiet,
} from './support/flow';

/**
 * Microservices mode as a cluster runs it: six processes, six schemas, Kafka's wire protocol
 * between them (librdkafka's mock cluster unless KAFKA_BROKERS names a real one).
 */
const KIND = process.env.KAFKA_BROKERS?.trim() ? 'env' : 'mock';
const REQUESTS = 200;
const CONCURRENCY = 10;

describe(`distributed: six service processes over Kafka (${KIND})`, () => {
  const tag = randomBytes(4).toString('hex');
  const logDir = mkdtempSync(join(tmpdir(), 'aftersales-distributed-'));
  let kafka: TestKafka | undefined;
  let system: DistributedSystem | undefined;
  let db: Client | undefined;
  let schemas: Schemas;
  let token: string;
  let requestIds: string[] = [];
  let failed = false;

  const guarded = <T>(fn: () => Promise<T>) =>
    withLogsOnFailure(() => system?.handles() ?? [], fn).catch((e) => {
      failed = true;
      throw e;
    });

  beforeAll(
    () =>
      guarded(async () => {
        kafka = await resolveTestKafka();
        expect(kafka.kind).toBe(KIND);
        await ensureTopics(kafka);
        system = new DistributedSystem({
          brokers: kafka.brokers,
          databaseUrl: testDatabaseUrl(),
          schemaPrefix: `e2e${tag}`,
          jwtSecret: TEST_JWT_SECRET,
          region: 'north',
          logDir,
          idempotent: kafka.kind === 'env',
        });
        schemas = Object.fromEntries(SERVICE_NAMES.map((n) => [n, system!.schemaOf(n)])) as unknown as Schemas;
        db = new Client({ connectionString: testDatabaseUrl() });
        await db.connect();
        token = await tokenFor('agent', { region: 'north' });
        const started = Date.now();
        await system.startAll();
        console.log(`distributed (${KIND}): six services ready in ${((Date.now() - started) / 1000).toFixed(1)} s; logs in ${logDir}`);
      }),
    180_000,
  );

  afterAll(async () => {
    await system?.stopAll(10_000).catch(() => undefined);
    await kafka?.stop().catch(() => undefined);
    await db?.end().catch(() => undefined);
    if (system)
      await dropSchemas(
        testDatabaseUrl(),
        SERVICE_NAMES.map((n) => system!.schemaOf(n)),
      ).catch(() => undefined);
    if (!failed && !process.env.AFTERSALES_E2E_KEEP_LOGS) rmSync(logDir, { recursive: true, force: true });
  }, 60_000);

  it(
    `turns ${REQUESTS} requests into exactly one case each, with one clock, notification, spares and survey record per case`,
    () =>
      guarded(async () => {
        const cpu0 = SERVICE_NAMES.map((n) => procCpuSeconds(system!.get(n).handle.pid));
        const t0 = Date.now();
        const filed = await fileRequests(system!.url('intake'), token, REQUESTS, { concurrency: CONCURRENCY, tag });
        const postedMs = Date.now() - t0;
        requestIds = filed.map((f) => f.id);
        expect(new Set(requestIds).size).toBe(REQUESTS);

        await waitForOutcomes(db!, schemas, requestIds, { timeoutMs: 90_000 });
        const dead = await waitForQuiet(db!, Object.values(schemas));

        // counted again once nothing is in flight: exactly one of each, nothing set aside
        const final = await outcomes(db!, schemas, requestIds);
        expect(problems(final)).toEqual([]);
        expect(dead).toEqual(Object.fromEntries(Object.values(schemas).map((s) => [s, 0])));

        const cpu = SERVICE_NAMES.map((n, i) => `${n} ${(procCpuSeconds(system!.get(n).handle.pid) - cpu0[i]).toFixed(1)}`);
        const postMs = filed.map((f) => f.ms).sort((a, b) => a - b);
        const { first, last, latencies } = await endToEndLatencies(db!, schemas, requestIds);
        const seconds = (last - t0) / 1000;
        console.log(
          [
            `distributed (${KIND}) throughput: ${REQUESTS} requests, ${CONCURRENCY} concurrent POSTs`,
            `  end to end (first POST → last acknowledgement recorded): ${seconds.toFixed(2)} s = ${(REQUESTS / seconds).toFixed(1)} requests/s`,
            `  intake accepted all POSTs in ${(postedMs / 1000).toFixed(2)} s = ${(REQUESTS / (postedMs / 1000)).toFixed(1)} requests/s`,
            `  per request, received → acknowledgement recorded: p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms, max ${latencies.at(-1)} ms`,
            `  POST /requests latency: p50 ${percentile(postMs, 50)} ms, p95 ${percentile(postMs, 95)} ms`,
            `  CPU seconds used during the run: ${cpu.join(', ')}`,
            `  (first request received ${first - t0} ms after the first POST was sent)`,
          ].join('\n'),
        );
      }),
    150_000,
  );

  it('shows each sampled request, its case, clock, acknowledgement, spares and survey record through the APIs', () =>
    guarded(async () => {
      expect(requestIds).toHaveLength(REQUESTS); // needs the flow above
      const urls = Object.fromEntries(SERVICE_NAMES.map((n) => [n, system!.url(n)])) as unknown as Parameters<typeof checkThroughApis>[0];
      const found: string[] = [];
      for (const id of sample(requestIds, 12)) found.push(...(await checkThroughApis(urls, token, id)));
      expect(found).toEqual([]);
    }));

  it(
    'stops every service cleanly on SIGTERM',
    () =>
      guarded(async () => {
        const running = SERVICE_NAMES.map((n) => system!.get(n));
        const exits = await Promise.all(running.map((s) => s.handle.stop(20_000)));
        expect(Object.fromEntries(running.map((s, i) => [s.name, exits[i]]))).toEqual(
          Object.fromEntries(running.map((s) => [s.name, { code: 0, signal: null }])),
        );
      }),
    40_000,
  );
});
