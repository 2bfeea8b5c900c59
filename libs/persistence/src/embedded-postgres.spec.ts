import { ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import {
  embeddedBinaries,
  EmbeddedPostgresError,
  EmbeddedPostgresHandle,
  removeEmbeddedCluster,
  SHARED_DIR,
  startEmbeddedPostgres,
} from './embedded-postgres';

/**
 * The quick start's database (issue 16 item 11): it must start from any directory, as root or not.
 * Run as root (CI, a fresh server) these tests start it from 0700 directories, the situation of a
 * checkout under /root, where the unprivileged PostgreSQL user can neither run the binaries nor
 * reach the data.
 */
const ROOT = resolve(__dirname, '..', '..', '..');
const asRoot = process.getuid?.() === 0;

async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

/** The first capture of `re` in what `child` prints; rejects when the child exits first (the test's own timeout bounds the rest). */
function printed(child: ChildProcess, re: RegExp, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const done = (settle: () => void) => {
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      settle();
    };
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = re.exec(out);
      if (m) done(() => resolve(m[1] ?? m[0]));
    };
    const onExit = (code: number | null, signal: string | null) =>
      done(() => reject(new Error(`${what}: the child exited (code ${code}, signal ${signal}) first; it printed: ${out}`)));
    child.stdout?.on('data', onData);
    child.on('exit', onExit);
  });
}

/** Resolves once `child` has exited (at once if it already has). */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Resolves once process `pid` (not a child of ours: no exit event reaches us) is gone. Node has no
 * way to be told (no pidfd), so this polls /proc — the one wait here that is not on an event.
 */
async function gone(pid: number, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (procAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const procAlive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
const postmasterPid = (dataDir: string) => Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
const uidOf = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);

describe('embedded PostgreSQL for `npm start`', () => {
  const home = mkdtempSync(join(tmpdir(), 'aftersales-pg-spec-')); // mode 0700, like /root
  const version = `spec-${process.pid}`;
  let running: EmbeddedPostgresHandle | undefined;

  afterAll(async () => {
    await running?.stop();
    for (const d of ['a', 'b']) removeEmbeddedCluster(join(home, d, 'postgres'));
    rmSync(join(SHARED_DIR, `postgres-${version}-${arch()}`), { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  it('starts from a 0700 directory holding both the binaries and the data, and refuses a second start on it in one line', async () => {
    const binaries = { native: join(home, 'native'), version };
    cpSync(embeddedBinaries().native, binaries.native, { recursive: true, verbatimSymlinks: true });
    const dataDir = join(home, 'a', 'postgres');

    running = await startEmbeddedPostgres({ dataDir, port: 0, database: 'quickstart', binaries });
    expect(await query(running.url, 'SELECT current_database() AS db')).toEqual([{ db: 'quickstart' }]);
    const pid = postmasterPid(running.dataDir);
    // PostgreSQL never runs as root; as root it runs as `postgres` from a copy it can reach
    expect(uidOf(pid)).not.toBe(0);
    if (asRoot) {
      expect(running.dataDir.startsWith(SHARED_DIR + '/')).toBe(true);
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain(join(SHARED_DIR, `postgres-${version}-${arch()}`));
    }

    const second = startEmbeddedPostgres({ dataDir, port: 0, database: 'quickstart', binaries });
    await expect(second).rejects.toThrow(EmbeddedPostgresError);
    await expect(second).rejects.toThrow(new RegExp(`^another aftersales \\(pid ${process.pid}\\) is running on .*: stop it first`));

    await running.stop();
    running = undefined;
    expect(procAlive(pid)).toBe(false);
  }, 120_000);

  it('stops with its node process when that is killed outright, and takes over a server whose watchdog was killed too', async () => {
    const dataDir = join(home, 'b', 'postgres');
    const startInChild = () => {
      const script = `require(${JSON.stringify(join(__dirname, 'embedded-postgres.ts'))}).startEmbeddedPostgres({ dataDir: process.argv[1], port: 0 }).then((h) => console.log('READY ' + h.url))`;
      const child = spawn(process.execPath, ['-r', join(ROOT, 'tools', 'register.js'), '-e', script, dataDir], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const ready = printed(child, /READY (\S+)/, 'the child to start PostgreSQL');
      return { child, ready: () => ready };
    };

    // node SIGKILLed: the watchdog stops the server
    const first = startInChild();
    await first.ready();
    const pid1 = postmasterPid(realpathSync(dataDir));
    first.child.kill('SIGKILL');
    await gone(pid1, 'the server to stop after its node process was killed');

    // node and the watchdog SIGKILLed: the orphaned server is stopped by the next start
    const second = startInChild();
    await second.ready();
    const real = realpathSync(dataDir);
    const pid2 = postmasterPid(real);
    const watchdog = Number(readFileSync(`/proc/${pid2}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
    second.child.kill('SIGKILL');
    process.kill(watchdog, 'SIGKILL');
    await exited(second.child);
    expect(procAlive(pid2)).toBe(true); // left behind

    running = await startEmbeddedPostgres({ dataDir, port: 0 });
    expect(procAlive(pid2)).toBe(false);
    expect(await query(running.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  }, 180_000);
});
