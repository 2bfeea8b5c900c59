import { SERVICE_NAMES, waitFor } from '@aftersales/testing';
import { checkThroughApis, FiledRequest, fileRequests, outcomes, problems, sample, waitForOutcomes, waitForQuiet } from './support/flow';
import { DistributedE2e, KAFKA_KIND } from './support/distributed-e2e';

/**
 * The case service dies hard (kill -9) in the middle of the flow and comes back with the same
 * schema and consumer groups: nothing a customer filed may be lost or doubled — every request still
 * ends up as exactly one case with one SLA clock and one acknowledgement (and one spares and survey record).
 */
const REQUESTS = 150;
const CONCURRENCY = 5;
/** the kill comes once this many cases are open, i.e. with the flow well under way */
const KILL_AFTER_CASES = 25;
/** "a moment" of outage: until intake has accepted this many more requests (or all of them) */
const FILED_DURING_OUTAGE = 20;

describe(`crash: case service killed with SIGKILL mid-flow and restarted, over Kafka (${KAFKA_KIND})`, () => {
  // the restarted member gets its partitions once the group has given up on the dead one: after the
  // session timeout, here 10 s (as the fault suite) rather than the 30 s default
  const e2e = new DistributedE2e('crash', { KAFKA_SESSION_TIMEOUT_MS: '10000' });
  const { guarded } = e2e;
  beforeAll(() => e2e.start(), 180_000);
  afterAll(() => e2e.stop(), 60_000);

  it(
    `loses and doubles none of ${REQUESTS} requests when the case service is killed -9 and restarted`,
    () =>
      guarded(async () => {
        const casesOpen = async () => Number((await e2e.db.query(`SELECT count(*)::int AS n FROM "${e2e.schemas.case}".cases`)).rows[0].n);
        const filed: FiledRequest[] = [];
        let postsDone = false;
        // the customers keep filing in the background, through the crash
        const filing = fileRequests(e2e.system.url('intake'), e2e.token, REQUESTS, {
          concurrency: CONCURRENCY,
          tag: e2e.tag,
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
          () => filed.length >= Math.min(REQUESTS, atKill.filed + FILED_DURING_OUTAGE) || postsDone,
        );
        const atRestart = { filed: filed.length, cases: await casesOpen(), downMs: Date.now() - killedAt };
        await e2e.system.start('case', 120_000); // same port, schema and consumer groups
        const readyMs = Date.now() - killedAt - atRestart.downMs;

        const all = await filing;
        const requestIds = all.map((f) => f.id);
        expect(new Set(requestIds).size).toBe(REQUESTS);

        await waitForOutcomes(e2e.db, e2e.schemas, requestIds, { timeoutMs: 120_000 });
        const dead = await waitForQuiet(e2e.db, Object.values(e2e.schemas));
        const recoveredMs = Date.now() - killedAt;

        const final = await outcomes(e2e.db, e2e.schemas, requestIds);
        expect(problems(final)).toEqual([]);
        expect(dead).toEqual(Object.fromEntries(Object.values(e2e.schemas).map((s) => [s, 0])));
        // nothing beyond our requests either: no stray case was opened (a shared real cluster may
        // carry other runs' requests on the same topics, so only the private mock can tell)
        if (KAFKA_KIND === 'mock') expect(await casesOpen()).toBe(REQUESTS);

        console.log(
          [
            `crash (${KAFKA_KIND}): case service killed -9 with ${atKill.filed}/${REQUESTS} requests filed and ${atKill.cases} cases open`,
            `  down ${atRestart.downMs} ms (intake accepted ${atRestart.filed - atKill.filed} requests meanwhile), ` +
              `restarted and ready (rejoined its consumer groups) in ${readyMs} ms`,
            `  all ${REQUESTS} requests had exactly one case, clock, acknowledgement, spares and survey record ${recoveredMs} ms after the kill`,
          ].join('\n'),
        );
        // the kill must have hit the flow, not its end
        expect(atKill.cases).toBeLessThan(REQUESTS);

        const urls = Object.fromEntries(SERVICE_NAMES.map((n) => [n, e2e.system.url(n)])) as unknown as Parameters<
          typeof checkThroughApis
        >[0];
        const seen: string[] = [];
        for (const id of sample(requestIds, 8)) seen.push(...(await checkThroughApis(urls, e2e.token, id)));
        expect(seen).toEqual([]);
      }),
    240_000,
  );
});
