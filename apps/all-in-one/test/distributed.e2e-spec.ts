import { procCpuSeconds, SERVICE_NAMES, waitFor } from '@aftersales/testing';
import {
  checkThroughApis,
  endToEndLatencies,
  FiledRequest,
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
 * between them (librdkafka's mock cluster unless KAFKA_BROKERS names a real one). Then the case
 * service dies hard (kill -9) in the middle of the flow and comes back with the same schema and
 * consumer groups: nothing a customer filed may be lost or doubled.
 */
const REQUESTS = 200;
const CONCURRENCY = 10;
const CRASH_REQUESTS = 150;
const CRASH_CONCURRENCY = 5;
/** the kill comes once this many of the crash run's cases are open, i.e. with the flow well under way */
const KILL_AFTER_CASES = 25;
/** "a moment" of outage: until intake has accepted this many more requests (or all of them) */
const FILED_DURING_OUTAGE = 20;

describe(`distributed: six service processes over Kafka (${KAFKA_KIND})`, () => {
  // a restarted member gets its partitions once the group has given up on the dead one: after the
  // session timeout, here 10 s (as the fault suite) rather than the 30 s default
  const e2e = new DistributedE2e('distributed', { KAFKA_SESSION_TIMEOUT_MS: '10000' });
  const { guarded } = e2e;
  let requestIds: string[] = [];
  beforeAll(() => e2e.start(), 180_000);
  afterAll(() => e2e.stop(), 60_000);

  /** what the APIs show wrong about each request (its case, clock, acknowledgement, spares and survey record) */
  async function throughApis(ids: string[]): Promise<string[]> {
    const urls = Object.fromEntries(SERVICE_NAMES.map((n) => [n, e2e.system.url(n)])) as unknown as Parameters<typeof checkThroughApis>[0];
    const found: string[] = [];
    for (const id of ids) found.push(...(await checkThroughApis(urls, e2e.token, id)));
    return found;
  }

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
      expect(await throughApis(sample(requestIds, 12))).toEqual([]);
    }));

  it(
    `loses and doubles none of ${CRASH_REQUESTS} requests when the case service is killed -9 and restarted`,
    () =>
      guarded(async () => {
        // counted from the cases the flow above opened
        const countCases = async () => Number((await e2e.db.query(`SELECT count(*)::int AS n FROM "${e2e.schemas.case}".cases`)).rows[0].n);
        const openedBefore = await countCases();
        const casesOpen = async () => (await countCases()) - openedBefore;
        const filed: FiledRequest[] = [];
        let postsDone = false;
        // the customers keep filing in the background, through the crash
        const filing = fileRequests(e2e.system.url('intake'), e2e.token, CRASH_REQUESTS, {
          concurrency: CRASH_CONCURRENCY,
          tag: `${e2e.tag}-crash`, // new customers and idempotency keys: not replays of the flow above
          onFiled: (r) => filed.push(r),
        }).finally(() => (postsDone = true));
        filing.catch(() => undefined); // awaited below; keeps an early failure from being unhandled

        await waitFor(`${KILL_AFTER_CASES} cases to be open`, async () => (await casesOpen()) >= KILL_AFTER_CASES || postsDone, {
          timeoutMs: 60_000,
          intervalMs: 100,
        });
        const atKill = { filed: filed.length, cases: await casesOpen() };
        const exit = await e2e.system.kill9('case');
        expect(exit.signal).toBe('SIGKILL');
        const killedAt = Date.now();

        // intake does not depend on the case service: requests are still accepted while it is down
        await waitFor(
          `intake to accept ${FILED_DURING_OUTAGE} more requests while case is down`,
          () => filed.length >= Math.min(CRASH_REQUESTS, atKill.filed + FILED_DURING_OUTAGE) || postsDone,
        );
        const atRestart = { filed: filed.length, cases: await casesOpen(), downMs: Date.now() - killedAt };
        await e2e.system.start('case', 120_000); // same port, schema and consumer groups
        const readyMs = Date.now() - killedAt - atRestart.downMs;

        const all = await filing;
        const requestIds = all.map((f) => f.id);
        expect(new Set(requestIds).size).toBe(CRASH_REQUESTS);

        await waitForOutcomes(e2e.db, e2e.schemas, requestIds, { timeoutMs: 120_000 });
        const dead = await waitForQuiet(e2e.db, Object.values(e2e.schemas));
        const recoveredMs = Date.now() - killedAt;

        const final = await outcomes(e2e.db, e2e.schemas, requestIds);
        expect(problems(final)).toEqual([]);
        expect(dead).toEqual(Object.fromEntries(Object.values(e2e.schemas).map((s) => [s, 0])));
        // nothing beyond our requests either: no stray case was opened (a shared real cluster may
        // carry other runs' requests on the same topics, so only the private mock can tell)
        if (KAFKA_KIND === 'mock') expect(await casesOpen()).toBe(CRASH_REQUESTS);

        console.log(
          [
            `crash (${KAFKA_KIND}): case service killed -9 with ${atKill.filed}/${CRASH_REQUESTS} requests filed and ${atKill.cases} cases open`,
            `  down ${atRestart.downMs} ms (intake accepted ${atRestart.filed - atKill.filed} requests meanwhile), ` +
              `restarted and ready (rejoined its consumer groups) in ${readyMs} ms`,
            `  all ${CRASH_REQUESTS} requests had exactly one case, clock, acknowledgement, spares and survey record ${recoveredMs} ms after the kill`,
          ].join('\n'),
        );
        // the kill must have hit the flow, not its end
        expect(atKill.cases).toBeLessThan(CRASH_REQUESTS);

        expect(await throughApis(sample(requestIds, 8))).toEqual([]);
      }),
    240_000,
  );

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
