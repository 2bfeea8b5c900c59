import { procCpuSeconds, SERVICE_NAMES } from '@aftersales/testing';
import {
  checkThroughApis,
  endToEndLatencies,
  fileRequests,
  outcomes,
  percentile,
  problems,
  sample,
  waitForOutcomes,
  waitForQuiet,
} from './support/flow';
import { DistributedE2e, KAFKA_KIND } from './support/distributed-e2e';

/**
 * Microservices mode as a cluster runs it: six processes, six schemas, Kafka's wire protocol
 * between them (librdkafka's mock cluster unless KAFKA_BROKERS names a real one).
 */
const REQUESTS = 200;
const CONCURRENCY = 10;

describe(`distributed: six service processes over Kafka (${KAFKA_KIND})`, () => {
  const e2e = new DistributedE2e('distributed');
  const { guarded } = e2e;
  let requestIds: string[] = [];
  beforeAll(() => e2e.start(), 180_000);
  afterAll(() => e2e.stop(), 60_000);

  it(
    `turns ${REQUESTS} requests into exactly one case each, with one clock, notification, spares and survey record per case`,
    () =>
      guarded(async () => {
        const cpu0 = SERVICE_NAMES.map((n) => procCpuSeconds(e2e.system.get(n).handle.pid));
        const t0 = Date.now();
        const filed = await fileRequests(e2e.system.url('intake'), e2e.token, REQUESTS, { concurrency: CONCURRENCY, tag: e2e.tag });
        const postedMs = Date.now() - t0;
        requestIds = filed.map((f) => f.id);
        expect(new Set(requestIds).size).toBe(REQUESTS);

        await waitForOutcomes(e2e.db, e2e.schemas, requestIds, { timeoutMs: 90_000 });
        const dead = await waitForQuiet(e2e.db, Object.values(e2e.schemas));

        // counted again once nothing is in flight: exactly one of each, nothing set aside
        const final = await outcomes(e2e.db, e2e.schemas, requestIds);
        expect(problems(final)).toEqual([]);
        expect(dead).toEqual(Object.fromEntries(Object.values(e2e.schemas).map((s) => [s, 0])));

        const cpu = SERVICE_NAMES.map((n, i) => `${n} ${(procCpuSeconds(e2e.system.get(n).handle.pid) - cpu0[i]!).toFixed(1)}`);
        const postMs = filed.map((f) => f.ms).sort((a, b) => a - b);
        const { first, last, latencies } = await endToEndLatencies(e2e.db, e2e.schemas, requestIds);
        const seconds = (last - t0) / 1000;
        console.log(
          [
            `distributed (${KAFKA_KIND}) throughput: ${REQUESTS} requests, ${CONCURRENCY} concurrent POSTs`,
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
      const urls = Object.fromEntries(SERVICE_NAMES.map((n) => [n, e2e.system.url(n)])) as unknown as Parameters<
        typeof checkThroughApis
      >[0];
      const found: string[] = [];
      for (const id of sample(requestIds, 12)) found.push(...(await checkThroughApis(urls, e2e.token, id)));
      expect(found).toEqual([]);
    }));

  it(
    'stops every service cleanly on SIGTERM',
    () =>
      guarded(async () => {
        const running = SERVICE_NAMES.map((n) => e2e.system.get(n));
        const exits = await Promise.all(running.map((s) => s.handle.stop(20_000)));
        expect(Object.fromEntries(running.map((s, i) => [s.name, exits[i]]))).toEqual(
          Object.fromEntries(running.map((s) => [s.name, { code: 0, signal: null }])),
        );
      }),
    40_000,
  );
});
