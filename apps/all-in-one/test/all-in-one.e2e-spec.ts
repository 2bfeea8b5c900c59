import { existsSync, lstatSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_JWT_SECRET, tokenFor, waitFor } from '@aftersales/testing';
import {
  ChildHandle,
  descendants,
  freePort,
  freePortBase,
  httpJson,
  parentWatchdogPreload,
  procCmdline,
  procPssKb,
  procStatus,
  REPO_ROOT,
  SERVICE_NAMES,
  spawnLogged,
  waitForReady,
  withLogsOnFailure,
} from '@aftersales/testing';
import { checkThroughApis, registerCustomers, REQUEST_BODY } from './support/flow';
import { metricsOpsQuery, scrape } from './support/ops-metrics';

/**
 * What a newcomer does first: `npm start` in the checkout. All six services in one process with the
 * in-process bus and a real embedded PostgreSQL in a data directory that survives a restart.
 */
const MAIN = 'apps/all-in-one/src/main.ts';

describe('all-in-one: `npm start` with embedded PostgreSQL, stopped with SIGTERM and started again', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'aftersales-all-in-one-'));
  const logDir = mkdtempSync(join(tmpdir(), 'aftersales-all-in-one-logs-'));
  const runs: ChildHandle[] = [];
  let portBase: number;
  let pgPort: number;
  let token: string;
  let failed = false;
  const first: { requestIds: string[]; caseIds: string[]; caseNumbers: string[] } = { requestIds: [], caseIds: [], caseNumbers: [] };

  const urls = () =>
    Object.fromEntries(SERVICE_NAMES.map((n, i) => [n, `http://127.0.0.1:${portBase + i + 1}`])) as Record<
      (typeof SERVICE_NAMES)[number],
      string
    >;

  const guarded = <T>(fn: () => Promise<T>) =>
    withLogsOnFailure(() => runs, fn, 40).catch((e) => {
      failed = true;
      throw e;
    });

  /** `npm start` as the README says, with a fresh data dir and ports; resolves once all six are ready. */
  async function npmStart(): Promise<{ run: ChildHandle; readyMs: number; node: number }> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AFTERSALES_DATA_DIR: dataDir,
      AFTERSALES_PORT_BASE: String(portBase),
      EMBEDDED_PG_PORT: String(pgPort),
      JWT_SECRET: TEST_JWT_SECRET,
      // npm and its node child die with the test process even if it is SIGKILLed
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${parentWatchdogPreload()}`.trim(),
    };
    for (const v of ['DATABASE_URL', 'KAFKA_BROKERS', 'PORT', 'DB_SCHEMA', 'REGION']) delete env[v];
    const started = Date.now();
    const run = spawnLogged(`npm-start-${runs.length + 1}`, 'npm', ['start'], { env, cwd: REPO_ROOT, logDir, leftovers: 'keep' });
    runs.push(run);
    await Promise.all(Object.values(urls()).map((u) => waitForReady(u, run, 120_000)));
    const readyMs = Date.now() - started;
    await run.waitForLog(/aftersales is up/, 30_000);
    // npm runs `node -r ./tools/register.js apps/all-in-one/src/main.ts` (through sh): that node is the system
    const node = descendants(run.pid).find((pid) => procCmdline(pid).some((a) => a.endsWith(MAIN)) && procStatus(pid)?.name === 'node');
    if (!node)
      throw new Error(
        `no node process running ${MAIN} under npm (pid ${run.pid}): ${descendants(run.pid)
          .map((p) => `${p}=${procCmdline(p).join(' ')}`)
          .join('; ')}`,
      );
    return { run, readyMs, node };
  }

  function memory(node: number): string {
    const tree = [node, ...descendants(node)];
    const pgProcs = tree.filter((p) => p !== node);
    const mb = (kb: number) => (kb / 1024).toFixed(0);
    return (
      `node VmRSS ${mb(procStatus(node)?.rssKb ?? 0)} MB (PSS ${mb(procPssKb(node))} MB); ` +
      `with its ${pgProcs.length} PostgreSQL processes PSS ${mb(tree.reduce((n, p) => n + procPssKb(p), 0))} MB`
    );
  }

  /**
   * SIGTERM to npm, as a supervisor or `kill <pid>` sends it: npm must exit 0, and nothing it
   * started (the node process, the embedded PostgreSQL) may outlive it.
   */
  async function stop(run: ChildHandle, node: number): Promise<void> {
    const tree = [node, ...descendants(node)];
    const alive = () => tree.filter((p) => procStatus(p));
    const describeLeft = (pids: number[]) => [
      ...pids.slice(0, 3).map((p) => `${p} ${procCmdline(p).join(' ')}`),
      ...(pids.length > 3 ? [`and ${pids.length - 3} more PostgreSQL processes`] : []),
    ];
    const t = Date.now();
    run.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([run.exited, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), 30_000)))]).finally(
      () => clearTimeout(timer),
    );
    const npmMs = Date.now() - t;
    if (!exit) throw new Error('npm did not exit within 30 s of SIGTERM');
    const left = await waitFor('node and the embedded PostgreSQL to be gone after npm exited', () => alive().length === 0, {
      timeoutMs: 10_000,
    }).then(
      () => [] as string[],
      () => describeLeft(alive()),
    );
    if (left.length) {
      // stop the orphans the way their owner would have to (SIGTERM to node), so the data stays intact for the next start
      process.kill(node, 'SIGTERM');
      await waitFor('the orphaned all-in-one to stop', () => alive().length === 0, { timeoutMs: 30_000 }).catch(() => run.kill9());
      throw new Error(
        `npm start exited with ${JSON.stringify(exit)} ${npmMs} ms after SIGTERM, but left running:\n  ${left.join('\n  ')}\n` +
          'likely cause: npm runs the start script through `sh -c`, which does not pass SIGTERM on to node ' +
          '(fix: `"start": "exec node -r ./tools/register.js apps/all-in-one/src/main.ts"` in package.json)',
      );
    }
    expect(exit).toEqual({ code: 0, signal: null });
    console.log(`all-in-one: SIGTERM → npm exited 0 after ${npmMs} ms, node and PostgreSQL gone`);
  }

  async function fileAndWait(count: number, tagPrefix: string) {
    const u = urls();
    const ids: string[] = [];
    await registerCustomers(u.intake, token, tagPrefix);
    for (let i = 0; i < count; i++) {
      const res = await httpJson(`${u.intake}/requests`, { method: 'POST', token, body: REQUEST_BODY(i, tagPrefix) });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    // the skeleton flow, as an agent sees it through the APIs
    for (const id of ids) {
      await waitFor(
        `request ${id} to show its case, clock, acknowledgement, spares and survey record`,
        async () => {
          const p = await checkThroughApis(u, token, id);
          if (p.length) throw new Error(p.join('; '));
          return true;
        },
        { timeoutMs: 30_000, intervalMs: 200 },
      );
    }
    const cases = [];
    for (const id of ids) cases.push((await httpJson(`${u.case}/cases?requestId=${id}`, { token })).body.items[0]);
    return { ids, cases };
  }

  beforeAll(async () => {
    portBase = await freePortBase(SERVICE_NAMES.length);
    pgPort = await freePort();
    token = await tokenFor('agent', { region: 'local' }); // the all-in-one's default REGION
  });

  afterAll(async () => {
    for (const r of runs) if (r.running()) await r.kill9();
    // as root the cluster lives under /var/lib/aftersales with a symlink here (see embedded-postgres.ts)
    const pgDir = join(dataDir, 'postgres');
    if (existsSync(pgDir) && lstatSync(pgDir).isSymbolicLink()) {
      const real = realpathSync(pgDir);
      if (real.startsWith('/var/lib/aftersales/')) rmSync(real, { recursive: true, force: true });
    }
    rmSync(dataDir, { recursive: true, force: true });
    if (!failed && !process.env.AFTERSALES_E2E_KEEP_LOGS) rmSync(logDir, { recursive: true, force: true });
  }, 60_000);

  it(
    'starts, runs the skeleton flow, and stops cleanly on SIGTERM',
    () =>
      guarded(async () => {
        const { run, readyMs, node } = await npmStart();
        console.log(
          `all-in-one (first start, initialises PostgreSQL): spawn → all six /health/ready = 200 in ${(readyMs / 1000).toFixed(1)} s`,
        );
        console.log(`all-in-one idle after start: ${memory(node)}`);

        const { ids, cases } = await fileAndWait(3, 'first');
        first.requestIds = ids;
        first.caseIds = cases.map((c) => c.id);
        first.caseNumbers = cases.map((c) => c.caseNumber);
        console.log(`all-in-one idle after ${ids.length} requests: ${memory(node)}`);

        // what ops watch: every series the shipped rules and dashboards query exists, and shows the requests
        const exposed = await scrape(Object.values(urls()));
        const missing = [...metricsOpsQuery()].filter(([name]) => !exposed.names.has(name)).map(([name, file]) => `${name} (${file})`);
        expect(missing).toEqual([]);
        expect(exposed.total('aftersales_cases_opened_total')).toBeGreaterThanOrEqual(ids.length);
        expect(exposed.total('aftersales_cases_open')).toBeGreaterThanOrEqual(ids.length);
        expect(exposed.total('aftersales_sla_clocks_open')).toBeGreaterThanOrEqual(ids.length);
        expect(exposed.total('aftersales_notifications_total')).toBeGreaterThanOrEqual(ids.length); // the acknowledgements

        await stop(run, node);
      }),
    180_000,
  );

  it(
    'keeps its data across a restart with the same data directory, and new requests flow',
    () =>
      guarded(async () => {
        expect(first.requestIds).toHaveLength(3); // needs the first start
        const { run, readyMs, node } = await npmStart();
        console.log(`all-in-one (restart, existing data): spawn → all six /health/ready = 200 in ${(readyMs / 1000).toFixed(1)} s`);
        console.log(`all-in-one idle after restart: ${memory(node)}`);
        const u = urls();

        for (const [i, id] of first.requestIds.entries()) {
          const req = await httpJson(`${u.intake}/requests/${id}`, { token });
          expect({ status: req.status, id: req.body.id }).toEqual({ status: 200, id });
          const c = await httpJson(`${u.case}/cases?requestId=${id}`, { token });
          expect({ status: c.status, total: c.body.total, id: c.body.items?.[0]?.id, caseNumber: c.body.items?.[0]?.caseNumber }).toEqual({
            status: 200,
            total: 1,
            id: first.caseIds[i],
            caseNumber: first.caseNumbers[i],
          });
          // everything else is still there too, and a restart sends no second acknowledgement
          expect(await checkThroughApis(u, token, id)).toEqual([]);
        }

        const fresh = await fileAndWait(1, 'second');
        expect(first.caseNumbers).not.toContain(fresh.cases[0].caseNumber);
        expect(first.caseIds).not.toContain(fresh.cases[0].id);

        await stop(run, node);
      }),
    180_000,
  );
});
