import { ChildProcess, spawn } from 'node:child_process';

/** The six services in port order: `AFTERSALES_PORT_BASE` + 1 … + 6. */
export const SERVICE_ORDER = ['intake', 'case', 'escalation', 'spares', 'survey', 'notify'] as const;
export type ServiceName = (typeof SERVICE_ORDER)[number];

export interface PlannedService {
  /** a service, or the desk server in front of them */
  name: ServiceName | 'desk';
  port: number;
}

export class PlanError extends Error {}

/**
 * Which services to run on which ports, from the environment:
 * - `AFTERSALES_SERVICES` (comma-separated, default all six) picks some;
 * - `<NAME>_PORT` (e.g. `CASE_PORT=4002`) sets one service's port;
 * - `PORT` sets the port when exactly one service is picked (as it does for `node services/x/src/main.ts`);
 * - `<NAME>_DB_SCHEMA` (read when launching) sets one service's schema, as `DB_SCHEMA` does for one process;
 * - the rest: `AFTERSALES_PORT_BASE` (default 3000) + the service's place (intake 1 … notify 6).
 */
export function planServices(env: NodeJS.ProcessEnv): PlannedService[] {
  const picked = env.AFTERSALES_SERVICES?.trim()
    ? env.AFTERSALES_SERVICES.split(',').map((s) => s.trim().toLowerCase())
    : [...SERVICE_ORDER];
  const unknown = picked.filter((s) => !(SERVICE_ORDER as readonly string[]).includes(s));
  if (unknown.length)
    throw new PlanError(`AFTERSALES_SERVICES: unknown service ${unknown.join(', ')} (known: ${SERVICE_ORDER.join(', ')})`);
  const base = portOf('AFTERSALES_PORT_BASE', env.AFTERSALES_PORT_BASE ?? '3000');
  const plan = SERVICE_ORDER.filter((s) => picked.includes(s)).map((name) => {
    const own = env[`${name.toUpperCase()}_PORT`] ?? (picked.length === 1 ? env.PORT : undefined);
    return { name, port: own !== undefined ? portOf(`${name.toUpperCase()}_PORT`, own) : base + SERVICE_ORDER.indexOf(name) + 1 };
  });
  const ports = plan.map((p) => p.port);
  const clash = plan.find((p, i) => p.port !== 0 && ports.indexOf(p.port) !== i);
  if (clash) throw new PlanError(`two services on port ${clash.port}: set AFTERSALES_PORT_BASE or <SERVICE>_PORT`);
  return plan;
}

function portOf(variable: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new PlanError(`${variable}: expected a port number, got ${JSON.stringify(v)}`);
  return n;
}

/** Delay before the n-th restart in a row (a service that keeps dying is retried less often). */
export function restartDelayMs(consecutive: number): number {
  return Math.min(30_000, 500 * 2 ** Math.max(0, consecutive - 1));
}

/** A service that ran this long before it exited starts its restart count afresh. */
const STABLE_MS = 60_000;
/** EX_CONFIG: a configuration error repeats on every restart; the service stays down until fixed. */
const EX_CONFIG = 78;

export interface SupervisorOptions {
  env: NodeJS.ProcessEnv;
  /** spawns one service; returns the child */
  launch(service: PlannedService, env: NodeJS.ProcessEnv): ChildProcess;
  log(line: string): void;
  now?(): number;
}

/**
 * Runs each planned service as its own process and restarts one that exits, while the others keep
 * running (a kill -9 of one service is what the fault tests and operators do). Only a stop of the
 * supervisor stops them all.
 */
export class Supervisor {
  private readonly children = new Map<PlannedService['name'], ChildProcess>();
  private readonly restarts = new Map<PlannedService['name'], number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopping = false;

  constructor(
    private readonly plan: PlannedService[],
    private readonly o: SupervisorOptions,
  ) {}

  start(): void {
    for (const s of this.plan) this.run(s);
  }

  pids(): Record<string, number | undefined> {
    return Object.fromEntries(this.plan.map((s) => [s.name, this.children.get(s.name)?.pid]));
  }

  private run(s: PlannedService): void {
    const started = (this.o.now ?? Date.now)();
    const schema = this.o.env[`${s.name.toUpperCase()}_DB_SCHEMA`];
    const child = this.o.launch(s, { ...this.o.env, PORT: String(s.port), ...(schema ? { DB_SCHEMA: schema } : {}) });
    this.children.set(s.name, child);
    this.o.log(`${s.name} started (pid ${child.pid}, port ${s.port})`);
    child.once('exit', (code, signal) => {
      this.children.delete(s.name);
      if (this.stopping) return;
      const ranMs = (this.o.now ?? Date.now)() - started;
      if (code === EX_CONFIG) {
        this.o.log(`${s.name} exited with a configuration error (78): not restarted; the other services keep running`);
        return;
      }
      const n = ranMs >= STABLE_MS ? 1 : (this.restarts.get(s.name) ?? 0) + 1;
      this.restarts.set(s.name, n);
      const delay = restartDelayMs(n);
      this.o.log(`${s.name} exited (${signal ?? code}); restarting in ${delay} ms, the other services keep running`);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!this.stopping) this.run(s);
      }, delay);
      this.timers.add(timer);
    });
  }

  /** SIGTERM to every service; resolves once all exited (SIGKILL after `graceMs`). */
  async stop(graceMs = 25_000): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) clearTimeout(t);
    const running = [...this.children.values()].filter((c) => c.exitCode === null && c.signalCode === null);
    const exited = running.map((c) => new Promise<void>((done) => c.once('exit', () => done())));
    for (const c of running) c.kill('SIGTERM');
    const force = setTimeout(() => running.forEach((c) => c.kill('SIGKILL')), graceMs);
    await Promise.all(exited);
    clearTimeout(force);
  }
}

/** The default launcher: `node -r tools/register.js services/<name>/src/main.ts` (the desk: its server), output inherited. */
export function launchFromSources(root: string) {
  const mainOf = (s: PlannedService) =>
    s.name === 'desk' ? `${root}/apps/all-in-one/src/desk-main.ts` : `${root}/services/${s.name}/src/main.ts`;
  return (s: PlannedService, env: NodeJS.ProcessEnv): ChildProcess =>
    spawn(process.execPath, ['-r', `${root}/tools/register.js`, mainOf(s)], {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
}
