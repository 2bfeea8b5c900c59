import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from './wait-for';

/**
 * Child processes for e2e tests: each one in its own process group (so a kill reaches whatever it
 * spawned too), its stdout and stderr in a log file (read back for failure messages), and every one
 * of them killed when the test process ends — normally, on SIGINT/SIGTERM, or (through a tiny
 * preloaded watchdog) when the test process dies without a chance to clean up.
 */

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
/** `node -r <this>` runs the TypeScript sources directly, as `npm start` does */
export const TS_REGISTER = join(REPO_ROOT, 'tools', 'register.js');

/** A fresh directory under the system's temporary one, named `aftersales-<name>-…`. */
export const tempDir = (name: string): string => mkdtempSync(join(tmpdir(), `aftersales-${name}-`));

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildHandle {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  readonly child: ChildProcess;
  /** resolves when the process has exited (never rejects) */
  readonly exited: Promise<ExitInfo>;
  exitInfo(): ExitInfo | undefined;
  running(): boolean;
  log(): string;
  /** the last `lines` lines of the log, prefixed with the process name */
  tail(lines?: number): string;
  /** waits for a line matching `re` in the log; fails at once if the process exits first */
  waitForLog(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** a signal to the whole process group */
  signal(sig: NodeJS.Signals): void;
  /** SIGKILL to the process group, resolves once the leader is reaped */
  kill9(): Promise<ExitInfo>;
  /** SIGTERM to the leader only (as a supervisor would), SIGKILL to the group after `graceMs` */
  stop(graceMs?: number): Promise<ExitInfo>;
}

const live = new Set<ChildHandle>();
let hooked = false;

/** Every child is spawned detached, so it leads its own process group (pgid = its pid). */
function killGroupSync(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    /* already gone; never fall back to the bare pid, which may belong to someone else by now */
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGKILLs every child still running, and what is left of its process group (synchronous: safe in an 'exit' handler). */
export function killAllChildren(): void {
  for (const h of live) if (h.running() || groupAlive(h.pid)) killGroupSync(h.pid);
  live.clear();
}

function hookProcessExit(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', killAllChildren);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      killAllChildren();
      process.removeListener(sig, onSignal);
      // nobody else handles it: behave as the default would
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

let watchdogFile: string | undefined;
/**
 * A preload (`node -r`, or `--require` in NODE_OPTIONS) that kills its process group once the test
 * process that started it is gone: the children run in their own process groups, so neither a
 * terminal's Ctrl-C nor a SIGKILLed test process would reach them otherwise.
 */
export function parentWatchdogPreload(): string {
  if (watchdogFile && existsSync(watchdogFile)) return watchdogFile;
  const dir = mkdtempSync(join(tmpdir(), 'aftersales-watchdog-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true })); // children load it only when they start
  watchdogFile = join(dir, 'exit-with-test-process.js');
  writeFileSync(
    watchdogFile,
    `'use strict';
const owner = Number(process.env.AFTERSALES_TEST_OWNER_PID);
if (owner > 0) {
  setInterval(() => {
    // the whole process group: it also holds whatever this process started (e.g. an embedded PostgreSQL)
    try { process.kill(owner, 0); } catch { try { process.kill(0, 'SIGKILL'); } catch { process.kill(process.pid, 'SIGKILL'); } }
  }, 1000).unref();
}
`,
  );
  return watchdogFile;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logDir?: string;
  logFile?: string;
  /**
   * When the spawned process exits: 'kill' (default) SIGKILLs what is left of its process group;
   * 'keep' leaves it, for tests that check what a launcher (npm) leaves behind — kill9() and the
   * exit hooks still kill the group.
   */
  leftovers?: 'kill' | 'keep';
}

function readLog(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8');
  } catch {
    return '';
  }
}

/** The last lines of a child's log, headed by its name, pid and state (for failure messages). */
function tailOf(h: ChildHandle, lines: number): string {
  const all = h.log().trimEnd().split('\n');
  const shown = all.slice(-lines);
  const info = h.exitInfo();
  const state = info ? `exited code=${info.code} signal=${info.signal}` : 'running';
  return [
    `----- ${h.name} (pid ${h.pid}, ${state}; last ${shown.length} of ${all.length} lines of ${h.logFile})`,
    ...shown.map((l) => `  ${l}`),
  ].join('\n');
}

/** The process in its own group, stdout and stderr appended to its log file. */
function spawnInGroup(
  name: string,
  command: string,
  args: string[],
  o: SpawnOptions,
): { child: ChildProcess; pid: number; logFile: string } {
  const logFile = o.logFile ?? join(o.logDir ?? mkdtempSync(join(tmpdir(), 'aftersales-e2e-')), `${name}.log`);
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, args, {
      cwd: o.cwd ?? REPO_ROOT,
      env: { ...(o.env ?? process.env), AFTERSALES_TEST_OWNER_PID: String(process.pid) },
      stdio: ['ignore', fd, fd],
      detached: true, // its own process group: kill(-pid) reaches its children too
    });
  } finally {
    closeSync(fd);
  }
  if (child.pid === undefined) throw new Error(`could not spawn ${name} (${command} ${args.join(' ')})`);
  return { child, pid: child.pid, logFile };
}

/** A line matching `re` in the child's log; fails at once if the child exits first. */
async function waitForLine(h: ChildHandle, re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  let exitedFirst = false;
  const m = await waitFor(
    `${h.name} to log ${re}`,
    () => {
      const found = re.exec(h.log());
      if (found) return found;
      if (h.exitInfo()) return (exitedFirst = true);
      return undefined;
    },
    { timeoutMs, intervalMs: 100 },
  ).catch((e: Error) => {
    throw new Error(`${e.message}\n${h.tail(40)}`);
  });
  if (exitedFirst || m === true) {
    const info = h.exitInfo();
    throw new Error(`${h.name} exited (code ${info?.code}, signal ${info?.signal}) before logging ${re}\n${h.tail(40)}`);
  }
  return m;
}

/**
 * Spawns `command args` in its own process group with stdout+stderr appended to `logFile`
 * (default: `<logDir>/<name>.log`). The child is tracked and killed when this process exits.
 */
export function spawnLogged(name: string, command: string, args: string[], o: SpawnOptions = {}): ChildHandle {
  hookProcessExit();
  const { child, pid, logFile } = spawnInGroup(name, command, args, o);
  let info: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((done) => {
    child.once('exit', (code, signal) => {
      info = { code, signal };
      if (o.leftovers !== 'keep') {
        // the leader is gone; make sure nothing it started outlives it
        killGroupSync(pid);
        live.delete(handle);
      } else if (!groupAlive(pid)) {
        live.delete(handle);
      }
      done(info);
    });
    child.once('error', (e) => {
      info = { code: -1, signal: null };
      writeFileSync(logFile, `\n[test harness] spawn failed: ${e.message}\n`, { flag: 'a' });
      live.delete(handle);
      done(info);
    });
  });
  const log = () => readLog(logFile);
  const handle: ChildHandle = {
    name,
    pid,
    logFile,
    child,
    exited,
    exitInfo: () => info,
    running: () => info === undefined,
    log,
    tail: (lines = 30) => tailOf(handle, lines),
    waitForLog: (re, timeoutMs = 60_000) => waitForLine(handle, re, timeoutMs),
    signal(sig) {
      if (info) return;
      try {
        process.kill(-pid, sig);
      } catch {
        /* gone */
      }
    },
    async kill9() {
      if (live.has(handle) && (!info || groupAlive(pid))) killGroupSync(pid);
      live.delete(handle);
      return exited;
    },
    async stop(graceMs = 30_000) {
      if (!info) child.kill('SIGTERM');
      const timer = setTimeout(() => killGroupSync(pid), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  live.add(handle);
  return handle;
}

// ---- ports --------------------------------------------------------------------------------------

function listenOnce(port: number): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(port, '0.0.0.0', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => ok(p));
    });
  });
}

export function freePort(): Promise<number> {
  return listenOnce(0);
}

/**
 * A base port such that base … base+count are all free right now (for AFTERSALES_PORT_BASE; the desk
 * listens on the base itself). Below Linux's ephemeral range (32768+): there, any outgoing connection
 * (or a `freePort()` taken after this) may take one of the ports before the service binds it.
 */
export async function freePortBase(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 10_000 + Math.floor(Math.random() * (32_000 - 10_000 - count));
    try {
      for (let i = 0; i <= count; i++) await listenOnce(base + i);
      return base;
    } catch {
      /* one was taken: try another range */
    }
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

// ---- /proc ----------------------------------------------------------------------------------------

/** /proc/<pid>/status, or undefined once the process is gone (a zombie counts as gone). */
export function procStatus(pid: number): { name: string; state: string; ppid: number; rssKb: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (k: string) => new RegExp(`^${k}:\\s*(.+)$`, 'm').exec(text)?.[1] ?? '';
    const state = field('State').charAt(0);
    if (state === 'Z' || state === 'X') return undefined;
    return { name: field('Name'), state, ppid: Number(field('PPid')), rssKb: parseInt(field('VmRSS'), 10) || 0 };
  } catch {
    return undefined;
  }
}

export function procCmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** Proportional set size (shared pages divided among their users), from smaps_rollup. */
export function procPssKb(pid: number): number {
  try {
    return parseInt(/^Pss:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? '0', 10);
  } catch {
    return 0;
  }
}

/** CPU time (user + system) the process has used so far, in seconds. */
export function procCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15, in clock ticks (100 Hz on Linux)
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Every descendant of `pid` (children, grandchildren, …), from /proc. */
export function descendants(pid: number): number[] {
  const parentOf = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = procStatus(Number(entry));
    if (!s) continue;
    parentOf.set(s.ppid, [...(parentOf.get(s.ppid) ?? []), Number(entry)]);
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const c of parentOf.get(queue.shift()!) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

// ---- failure output ---------------------------------------------------------------------------------

/**
 * Runs `fn`; if it throws, the error's message gets the tail of each child's log appended, so the
 * jest failure shows what the services were saying.
 */
export async function withLogsOnFailure<T>(
  children: () => Iterable<ChildHandle | undefined>,
  fn: () => Promise<T>,
  lines = 25,
): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const tails = [...children()].filter((c): c is ChildHandle => !!c).map((c) => c.tail(lines));
    if (e instanceof Error) {
      e.message = `${e.message}\n\n${tails.join('\n')}`;
      throw e;
    }
    throw new Error(`${String(e)}\n\n${tails.join('\n')}`);
  }
}

// ---- HTTP -------------------------------------------------------------------------------------------

export interface JsonResponse {
  status: number;
  body: any;
}

/** fetch + JSON with a bearer token; never throws on an HTTP status, only on a network error. */
export async function httpJson(
  url: string,
  o: { method?: string; token?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<JsonResponse> {
  const res = await fetch(url, {
    method: o.method ?? 'GET',
    headers: {
      ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
      ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...o.headers,
    },
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
    signal: AbortSignal.timeout(o.timeoutMs ?? 15_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body };
}

/** Runs `task(i)` for i = 0 … count-1 with at most `concurrency` in flight; results in order. */
export async function runPool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) results[i] = await task(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

// ---- the services as processes ---------------------------------------------------------------------

export const SERVICE_NAMES = ['intake', 'case', 'escalation', 'spares', 'survey', 'notify'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceProcess {
  name: ServiceName;
  url: string;
  port: number;
  schema: string;
  handle: ChildHandle;
}

export interface DistributedOptions {
  brokers: string[];
  databaseUrl: string;
  /** prefix of every schema, e.g. `e2e1a2b3c4d`: schemas are `<prefix>_<service>` */
  schemaPrefix: string;
  jwtSecret: string;
  region?: string;
  logDir: string;
  /** KAFKA_IDEMPOTENT: false against librdkafka's mock cluster */
  idempotent: boolean;
  env?: NodeJS.ProcessEnv;
}

/**
 * The six services as six processes (`node -r tools/register.js services/<name>/src/main.ts`), each
 * on its own free port and schema, over Kafka. `restart()` starts one again with the same schema
 * and the same environment, so it rejoins the same consumer groups.
 */
export class DistributedSystem {
  readonly services = new Map<ServiceName, ServiceProcess>();
  /** every process ever started, for failure output (a killed one's log matters most) */
  readonly history: ChildHandle[] = [];
  private readonly ports = new Map<ServiceName, number>();
  private generation = new Map<ServiceName, number>();

  constructor(readonly o: DistributedOptions) {}

  schemaOf(name: ServiceName): string {
    return `${this.o.schemaPrefix}_${name}`;
  }

  get(name: ServiceName): ServiceProcess {
    const s = this.services.get(name);
    if (!s) throw new Error(`${name} is not running`);
    return s;
  }

  url(name: ServiceName): string {
    return this.get(name).url;
  }

  /** Starts all six at once and waits until each answers /health/ready with 200. */
  async startAll(timeoutMs = 120_000): Promise<void> {
    await Promise.all(SERVICE_NAMES.map((n) => this.start(n, timeoutMs)));
  }

  async start(name: ServiceName, timeoutMs = 120_000): Promise<ServiceProcess> {
    const port = this.ports.get(name) ?? (await freePort());
    this.ports.set(name, port);
    const gen = (this.generation.get(name) ?? 0) + 1;
    this.generation.set(name, gen);
    const handle = spawnLogged(
      gen === 1 ? name : `${name}-${gen}`,
      process.execPath,
      ['-r', parentWatchdogPreload(), '-r', TS_REGISTER, join(REPO_ROOT, 'services', name, 'src', 'main.ts')],
      {
        logDir: this.o.logDir,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_ENV: 'test',
          PORT: String(port),
          REGION: this.o.region ?? 'north',
          DATABASE_URL: this.o.databaseUrl,
          DB_SCHEMA: this.schemaOf(name),
          DB_POOL_SIZE: '5',
          KAFKA_BROKERS: this.o.brokers.join(','),
          KAFKA_IDEMPOTENT: String(this.o.idempotent),
          JWT_SECRET: this.o.jwtSecret,
          LOG_LEVEL: process.env.AFTERSALES_E2E_LOG_LEVEL ?? 'warn',
          OUTBOX_POLL_MS: '200',
          ...this.o.env,
        },
      },
    );
    this.history.push(handle);
    const m = await handle.waitForLog(/"msg":"listening on (http:\/\/[^"]+)"/, timeoutMs);
    const service: ServiceProcess = { name, url: m[1]!, port, schema: this.schemaOf(name), handle }; // the pattern captures the url
    this.services.set(name, service);
    await waitForReady(service.url, handle, timeoutMs);
    return service;
  }

  /** kill -9 of one service; it stays down until `start(name)` */
  async kill9(name: ServiceName): Promise<ExitInfo> {
    const s = this.get(name);
    this.services.delete(name);
    return s.handle.kill9();
  }

  /** SIGTERM to each (all at once), SIGKILL after the grace period; never throws */
  async stopAll(graceMs = 15_000): Promise<ExitInfo[]> {
    const all = this.history.filter((h) => h.running());
    this.services.clear();
    return Promise.all(all.map((h) => h.stop(graceMs)));
  }

  /** Current and earlier processes, for failure output. */
  handles(): ChildHandle[] {
    return [...this.history];
  }
}

/** Polls `<url>/health/ready` until 200; fails early (with the log tail) if the process exits. */
export async function waitForReady(url: string, handle: ChildHandle | undefined, timeoutMs = 120_000): Promise<void> {
  let exited: ExitInfo | undefined;
  await waitFor(
    `${url}/health/ready to answer 200`,
    async () => {
      exited = handle?.exitInfo();
      if (exited) return true;
      const r = await httpJson(`${url}/health/ready`, { timeoutMs: 5000 });
      if (r.status === 200) return true;
      // thrown, so waitFor reports it as the last state on timeout
      throw new Error(`HTTP ${r.status} ${JSON.stringify(r.body)}`);
    },
    { timeoutMs, intervalMs: 200 },
  ).catch((e: Error) => {
    throw new Error(`${e.message}${handle ? `\n${handle.tail(40)}` : ''}`);
  });
  if (exited)
    throw new Error(`${handle!.name} exited (code ${exited.code}, signal ${exited.signal}) before it was ready\n${handle!.tail(40)}`);
}
