import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { removeEmbeddedCluster } from '@aftersales/persistence';
import {
  ChildHandle,
  freePort,
  freePortBase,
  parentWatchdogPreload,
  REPO_ROOT,
  SERVICE_NAMES,
  spawnLogged,
  tempDir,
  waitFor,
  withLogsOnFailure,
} from '@aftersales/testing';

/**
 * Issue 16 item 11: what `npm start` prints is pasted as is into another terminal and ends in an
 * assigned case with a running SLA clock and recorded notices; a failed start is one line.
 * The data directory is a fresh 0700 one (as /root is), so as root this is the clone-into-/root case.
 */
describe('quick start: `npm start` prints a block that works when pasted', () => {
  const dataDir = tempDir('quick-start');
  const logDir = tempDir('quick-start-logs');
  let run: ChildHandle;
  let portBase: number;

  const cleanEnv = (): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: `--require ${parentWatchdogPreload()}` };
    for (const v of ['DATABASE_URL', 'KAFKA_BROKERS', 'PORT', 'DB_SCHEMA', 'REGION', 'JWT_SECRET', 'TOKEN', 'ADMIN_TOKEN', 'LOG_LEVEL'])
      delete env[v];
    return env;
  };

  beforeAll(async () => {
    portBase = await freePortBase(SERVICE_NAMES.length);
    const env = {
      ...cleanEnv(),
      AFTERSALES_DATA_DIR: dataDir,
      AFTERSALES_PORT_BASE: String(portBase),
      EMBEDDED_PG_PORT: String(await freePort()),
    };
    run = spawnLogged('npm-start', 'npm', ['start'], { env, cwd: REPO_ROOT, logDir });
    await run.waitForLog(/Stop with Ctrl-C/, 150_000);
  }, 180_000);

  afterAll(async () => {
    if (run?.running()) await run.stop(30_000);
    removeEmbeddedCluster(join(dataDir, 'postgres'));
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(logDir, { recursive: true, force: true });
  }, 60_000);

  /** The lines between `export TOKEN=` and the next empty line, exactly as printed. */
  const pasteBlock = () => {
    const lines = run.log().split('\n');
    const from = lines.findIndex((l) => l.startsWith('export TOKEN='));
    const to = lines.findIndex((l, i) => i > from && l.trim() === '');
    return lines.slice(from, to);
  };

  const bash = (script: string, env: NodeJS.ProcessEnv = cleanEnv()) => {
    const r = spawnSync('bash', ['-c', script], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 120_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('says which token is the admin and prints exports, the seed and the request, with no comment zsh would choke on', () =>
    withLogsOnFailure(
      () => [run],
      () => {
        const block = pasteBlock();
        expect(block[0]).toMatch(/^export TOKEN=\S+$/);
        expect(block[1]).toMatch(/^export ADMIN_TOKEN=\S+$/);
        expect(block[2]).toBe(`AFTERSALES_PORT_BASE=${portBase} npm run seed`);
        expect(block.some((l) => l.includes(`http://127.0.0.1:${portBase + 1}/requests`))).toBe(true);
        expect(block.filter((l) => /\s#/.test(l))).toEqual([]);
        expect(run.log()).toMatch(/ADMIN_TOKEN is an admin, which registering\s+contracts, calendars, engineers and role recipients needs/);
        return Promise.resolve();
      },
    ));

  it('pasted into bash: demo data, the request, then an assigned case, a running clock and the notices', () =>
    withLogsOnFailure(
      () => [run],
      async () => {
        const block = pasteBlock();
        const setup = block.filter((l) => !l.startsWith('curl -s '));
        const show = block.filter((l) => l.startsWith('curl -s '));
        expect(show).toHaveLength(3);

        const first = bash(['set -e', ...setup, 'echo "CASE=$CASE"'].join('\n'));
        expect({ code: first.code, err: first.err }).toEqual({ code: 0, err: expect.not.stringMatching(/seed failed/) });
        expect(first.out).toMatch(/demo data for region local loaded/);
        const caseId = /CASE=([0-9a-f-]{36})/.exec(first.out)?.[1];
        expect(caseId).toBeDefined();

        // the clock and the notices follow the case over the bus: run the printed lines until they show them
        const exports = block.filter((l) => l.startsWith('export '));
        const shown = await waitFor(
          'the printed curl lines to show the assigned case, its running clock and two notices',
          () => {
            const r = bash([...exports, `CASE=${caseId}`, ...show].join('\n'));
            const [kase, clocks, notes] = r.out
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l));
            const templates = (notes.items ?? []).map((n: { template: string }) => n.template).sort();
            if (clocks.items?.[0]?.state !== 'running' || templates.length < 2) throw new Error(r.out);
            return { kase, clock: clocks.items[0], templates };
          },
          { timeoutMs: 30_000, intervalMs: 250 },
        );
        expect(shown.kase).toMatchObject({
          id: caseId,
          status: 'assigned',
          assigneeName: 'Wang Expert',
          severity: 'P2',
          customerId: 'C-DEMO',
        });
        expect(shown.clock).toMatchObject({ state: 'running', policyId: 'ladder-b', contractId: 'K-DEMO-7X24' });
        expect(shown.templates).toEqual(['case-acknowledgement', 'major-case']);

        // seeding again changes nothing and still succeeds
        const again = bash(['set -e', ...exports, block[2]].join('\n'));
        expect(again.code).toBe(0);
        expect(again.out).toMatch(/C-DEMO: already there/);

        // pasted once more (as after a restart with the data kept): the request joins the open case
        const second = bash(['set -e', ...setup, 'echo "CASE=$CASE"'].join('\n'));
        expect(second.code).toBe(0);
        expect(/CASE=([0-9a-f-]{36})/.exec(second.out)?.[1]).toBe(caseId);
      },
    ));

  it('a second start on the same ports fails at once with one line saying what to do, and no stack trace', async () => {
    const other = tempDir('quick-start-2');
    try {
      const env = { ...cleanEnv(), AFTERSALES_DATA_DIR: other, AFTERSALES_PORT_BASE: String(portBase) };
      const child = spawn('npm', ['start', '--silent'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const code = await new Promise<number | null>((r) => child.once('exit', r));
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toEqual([
        `aftersales did not start: port ${portBase + 1} is already in use (is aftersales already running?): stop it, or use other ports, e.g. AFTERSALES_PORT_BASE=4000 npm start`,
      ]);
    } finally {
      removeEmbeddedCluster(join(other, 'postgres'));
      rmSync(other, { recursive: true, force: true });
    }
  }, 60_000);
});
