import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { topicOf } from '@aftersales/contracts';
import { EventBus, KafkaBus } from '@aftersales/messaging';
import { signDevToken } from '@aftersales/platform';
import { DistributedSystem, procCpuSeconds, procStatus, resolveTestKafka, SERVICE_NAMES } from '@aftersales/testing';
import { startAllInOne, DEV_JWT_SECRET } from '../../apps/all-in-one/src/all-in-one';
import { benchDatabase } from './bench-database';
import { BENCH_REQUEST_BODY, openLoop, OpenLoopResult, percentile, seedBenchCustomers } from './open-loop';
import { transactionCount } from './pg-census';

type Figures = Record<string, number>;
const MiB = 2 ** 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the run needs of the system under load, whichever way it was started. */
interface LoadSystem {
  /** e.g. "all-in-one, one process" */
  mode: string;
  databaseUrl: string;
  intakeUrl: string;
  caseUrl: string;
  /** where the bench hears `notify.notification.recorded.v1`, as any downstream consumer would */
  bus: EventBus;
  /** the processes serving the requests, for CPU and RSS from /proc */
  processes: Array<{ name: string; pid: number }>;
  /** processes outside the system that share its cores (load generator, Kafka mock): CPU only */
  bystanders: Array<{ name: string; pid: number }>;
  /** age of the oldest unsent outbox row over all services, in seconds */
  outboxLagSeconds(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * `npm run bench -- load [--soak] [--distributed]`: the request path under an open-loop load on the
 * all-in-one (DATABASE_URL, else embedded PostgreSQL), or with `--distributed` on the six services
 * as separate processes over Kafka (librdkafka's mock cluster, or KAFKA_BROKERS). Measures the
 * database's own ceiling first (single-row insert transactions, 16 clients), ramps POST /requests
 * until the system stops keeping up end to end (request → case → clock → acknowledgement notice),
 * then holds 200 rps on POST and on the read routes. `--soak` adds 10 minutes at 70 % of the
 * sustained rate (RSS and outbox lag).
 */
export async function benchLoad(o: { soak: boolean; distributed: boolean }): Promise<Array<{ title: string; figures: Figures }>> {
  const system = o.distributed ? await startDistributed() : await startOneProcess();
  try {
    return await run(system, o);
  } finally {
    await system.stop();
  }
}

async function startOneProcess(): Promise<LoadSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aftersales-load-'));
  const system = await startAllInOne({ ...process.env, AFTERSALES_DATA_DIR: dataDir, AFTERSALES_PORT_BASE: '0', LOG_LEVEL: 'warn' });
  const [intake, caseService] = system.services;
  return {
    mode: 'all-in-one, one process',
    databaseUrl: system.databaseUrl,
    intakeUrl: intake!.url,
    caseUrl: caseService!.url,
    bus: system.bus,
    // the bench's own generator thread and consumer run in this process too
    processes: [{ name: 'all-in-one', pid: process.pid }],
    bystanders: [],
    outboxLagSeconds: async () => {
      const backlogs = await Promise.all(system.services.map((s) => s.runtime.relay.backlog()));
      return Math.max(...backlogs.map((b) => b.oldestAgeSeconds));
    },
    stop: async () => {
      await system.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The six services as processes (as the distributed e2e tests start them), each in its schema `load_<service>`. */
async function startDistributed(): Promise<LoadSystem> {
  const db = process.env.DATABASE_URL ? undefined : await benchDatabase('load');
  const databaseUrl = process.env.DATABASE_URL ?? db!.url;
  const kafka = await resolveTestKafka();
  const logDir = mkdtempSync(join(tmpdir(), 'aftersales-load-distributed-'));
  const system = new DistributedSystem({
    brokers: kafka.brokers,
    databaseUrl,
    schemaPrefix: 'load',
    jwtSecret: DEV_JWT_SECRET,
    region: process.env.REGION ?? 'local',
    logDir,
    idempotent: kafka.kind === 'env',
  });
  const bus = new KafkaBus({ brokers: kafka.brokers, clientId: 'aftersales-bench', idempotent: false });
  const stop = async () => {
    await bus.close().catch(() => undefined);
    await system.stopAll(20_000);
    await kafka.stop();
    await db?.stop();
    rmSync(logDir, { recursive: true, force: true });
  };
  try {
    await system.startAll();
  } catch (e) {
    await stop();
    throw e;
  }
  const schemas = SERVICE_NAMES.map((n) => system.schemaOf(n));
  return {
    mode: `distributed, six processes over Kafka (${kafka.kind === 'mock' ? "librdkafka's mock cluster" : 'KAFKA_BROKERS'})`,
    databaseUrl,
    intakeUrl: system.url('intake'),
    caseUrl: system.url('case'),
    bus,
    processes: SERVICE_NAMES.map((name) => ({ name, pid: system.get(name).handle.pid })),
    bystanders: [
      { name: 'bench process (generator, consumer)', pid: process.pid },
      ...(kafka.pid ? [{ name: 'Kafka mock (kcat)', pid: kafka.pid }] : []),
    ],
    outboxLagSeconds: () => oldestUnsentSeconds(databaseUrl, schemas),
    stop,
  };
}

async function oldestUnsentSeconds(databaseUrl: string, schemas: string[]): Promise<number> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const union = schemas.map((s) => `SELECT min(created_at) AS at FROM "${s}".outbox WHERE sent_at IS NULL AND dead_at IS NULL`);
    const r = await c.query<{ age: number }>(
      `SELECT coalesce(extract(epoch FROM now() - min(at)), 0)::float AS age FROM (${union.join(' UNION ALL ')}) u`,
    );
    return r.rows[0]?.age ?? NaN;
  } finally {
    await c.end();
  }
}

/** CPU seconds so far and RSS now of each process, from /proc/<pid>/stat and /proc/<pid>/status. */
function usage(processes: LoadSystem['processes']): Array<{ name: string; cpu: number; rssMiB: number }> {
  return processes.map((p) => ({ name: p.name, cpu: procCpuSeconds(p.pid), rssMiB: (procStatus(p.pid)?.rssKb ?? NaN) / 1024 }));
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

async function run(system: LoadSystem, o: { soak: boolean }): Promise<Array<{ title: string; figures: Figures }>> {
  const results: Array<{ title: string; figures: Figures }> = [];
  const ceiling = await insertCeiling(system.databaseUrl, 16, 5);
  results.push({ title: 'PostgreSQL ceiling (single-row insert transactions, 16 clients)', figures: { 'transactions/s': ceiling } });

  const token = await signDevToken(DEV_JWT_SECRET, { sub: 'bench', roles: ['agent'], region: process.env.REGION ?? 'local' });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const intake = system.intakeUrl;
  await seedBenchCustomers(intake, headers);
  // the end of the path: the acknowledgement notice of the case, as any consumer sees it
  const noticed = new Set<string>();
  const caseIds: string[] = [];
  await system.bus.subscribe({
    group: 'bench.noticed',
    topic: topicOf('notify.notification.recorded.v1'),
    handle: (e) => {
      const caseId = (e.data as { caseId?: string }).caseId;
      if (caseId && !noticed.has(caseId)) {
        noticed.add(caseId);
        caseIds.push(caseId);
      }
      return Promise.resolve();
    },
  });
  const body = BENCH_REQUEST_BODY;
  const post = (rate: number, seconds: number) => openLoop({ method: 'POST', urls: [`${intake}/requests`], headers, body, rate, seconds });
  /** waits until every accepted request has its notice (or `maxMs` passed); the seconds it took */
  const caughtUp = async (target: number, maxMs: number) => {
    const t0 = Date.now();
    while (noticed.size < target && Date.now() - t0 < maxMs) await sleep(20);
    return noticed.size >= target;
  };

  // backends flush their counters when idle for 10 s at the latest: let the boot's transactions land first
  await sleep(11_000);
  const txBefore = await transactionCount(system.databaseUrl);
  const use0 = usage(system.processes);
  const bystanders0 = usage(system.bystanders);
  const wall0 = performance.now();
  let accepted = 0;
  let sustained = 0;
  for (const rate of [5, 10, 25, 50, 100, 200, 400, 800, 1600]) {
    const before = noticed.size;
    const t0 = performance.now();
    const r = await post(rate, 8);
    const ok = r.statuses['201'] ?? 0;
    accepted += ok;
    const kept = (await caughtUp(before + ok, 5_000)) && r.dropped === 0 && ok === r.sent;
    const seconds = (performance.now() - t0) / 1000;
    const e2e = (noticed.size - before) / seconds;
    results.push({
      title: `ramp: POST /requests at ${rate}/s for 8 s`,
      figures: { ...latency(r), 'end to end req/s': e2e, 'kept up': kept ? 1 : 0 },
    });
    if (!kept) break;
    sustained = Math.max(sustained, e2e);
  }
  await caughtUp(accepted, 30_000);
  const use1 = usage(system.processes);
  const bystanders1 = usage(system.bystanders);
  const rampWall = (performance.now() - wall0) / 1000;
  const rampCpu = use1.map((u, i) => u.cpu - use0[i]!.cpu);
  await sleep(11_000);
  const txAfter = await transactionCount(system.databaseUrl);
  const txPerRequest = (txAfter.commits - txBefore.commits) / Math.max(1, accepted);

  const post200 = await post(200, 10);
  await caughtUp(noticed.size + (post200.statuses['201'] ?? 0), 30_000);
  const ids = caseIds.slice(-2000);
  const one = await openLoop({ method: 'GET', urls: ids.map((id) => `${system.caseUrl}/cases/${id}`), headers, rate: 200, seconds: 10 });
  const list = await openLoop({ method: 'GET', urls: [`${system.caseUrl}/cases?limit=20`], headers, rate: 200, seconds: 10 });
  const mem = usage(system.processes);
  results.push({
    title: `load (${system.mode})`,
    figures: {
      'sustained req/s end to end': sustained,
      'transactions per request': txPerRequest,
      'ceiling ÷ tx/request (req/s)': ceiling / txPerRequest,
      'ratio sustained to that': sustained / (ceiling / txPerRequest),
      'POST p50 ms at 200 rps': percentile(post200.latencies, 50),
      'POST p99 ms at 200 rps': percentile(post200.latencies, 99),
      'POST non-201 at 200 rps': post200.sent - (post200.statuses['201'] ?? 0) + post200.dropped,
      'GET /cases/{id} p50 ms at 200 rps': percentile(one.latencies, 50),
      'GET /cases/{id} p99 ms at 200 rps': percentile(one.latencies, 99),
      'GET /cases?limit=20 p50 ms at 200 rps': percentile(list.latencies, 50),
      'GET /cases?limit=20 p99 ms at 200 rps': percentile(list.latencies, 99),
      'GET non-200': one.sent + list.sent - (one.statuses['200'] ?? 0) - (list.statuses['200'] ?? 0),
      'requests filed': accepted,
      'node CPU % of one core (ramp)': (sum(rampCpu) / rampWall) * 100,
      'node CPU ms per request (ramp)': (sum(rampCpu) * 1000) / Math.max(1, accepted),
      'RSS MiB': sum(mem.map((m) => m.rssMiB)),
      ...(system.processes.length === 1 ? { 'heap used MiB': process.memoryUsage().heapUsed / MiB } : {}),
    },
  });
  const perProcess: Figures = {};
  for (const [i, m] of mem.entries()) {
    perProcess[`${m.name} CPU % of one core (ramp)`] = (rampCpu[i]! / rampWall) * 100;
    perProcess[`${m.name} CPU ms per request (ramp)`] = (rampCpu[i]! * 1000) / Math.max(1, accepted);
    perProcess[`${m.name} RSS MiB`] = m.rssMiB;
  }
  for (const [i, b] of bystanders1.entries()) perProcess[`${b.name} CPU % (ramp)`] = ((b.cpu - bystanders0[i]!.cpu) / rampWall) * 100;
  results.push({ title: 'per process', figures: perProcess });
  if (o.soak) {
    // the 200 rps holds may have left a backlog: let it clear, or the soak would count its notices
    await caughtUp(accepted + (post200.statuses['201'] ?? 0), 120_000);
    results.push(await soak(system, post, noticed, Math.max(1, Math.round(sustained * 0.7))));
  }
  return results;
}

function latency(r: OpenLoopResult): Figures {
  return { p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99), sent: r.sent, dropped: r.dropped };
}

/** 10 minutes at `rate`: RSS and the outbox lag once a minute; flat is good. */
async function soak(
  system: LoadSystem,
  post: (rate: number, seconds: number) => Promise<OpenLoopResult>,
  noticed: Set<string>,
  rate: number,
): Promise<{ title: string; figures: Figures }> {
  const rss: number[] = [];
  const lag: number[] = [];
  const p99: number[] = [];
  let sent = 0;
  const start = noticed.size;
  for (let minute = 0; minute < 10; minute++) {
    const r = await post(rate, 60);
    sent += r.statuses['201'] ?? 0;
    p99.push(percentile(r.latencies, 99));
    rss.push(sum(usage(system.processes).map((u) => u.rssMiB)));
    lag.push(await system.outboxLagSeconds());
    console.log(
      `  soak minute ${minute + 1}: RSS ${rss.at(-1)!.toFixed(0)} MiB, outbox lag ${lag.at(-1)!.toFixed(2)} s, POST p99 ${p99.at(-1)!.toFixed(1)} ms`,
    );
  }
  const t0 = Date.now();
  while (noticed.size - start < sent && Date.now() - t0 < 30_000) await sleep(50);
  return {
    title: `soak: POST /requests at ${rate}/s (70 % of sustained) for 10 minutes`,
    figures: {
      'RSS MiB minute 1': rss[0] ?? NaN,
      'RSS MiB minute 10': rss[9] ?? NaN,
      'outbox lag s minute 1': lag[0] ?? NaN,
      'outbox lag s minute 10': lag[9] ?? NaN,
      'max outbox lag s': Math.max(...lag),
      'POST p99 ms minute 1': p99[0] ?? NaN,
      'POST p99 ms minute 10': p99[9] ?? NaN,
      'requests without notice after 30 s': sent - (noticed.size - start),
    },
  };
}

/** A pgbench-like loop: `clients` connections inserting one row per transaction for `seconds`. */
async function insertCeiling(databaseUrl: string, clients: number, seconds: number): Promise<number> {
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(
    'CREATE TABLE IF NOT EXISTS public.bench_ceiling (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), v text)',
  );
  let done = 0;
  const until = performance.now() + seconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: clients }, async () => {
        const c = new Client({ connectionString: databaseUrl });
        await c.connect();
        try {
          while (performance.now() < until) {
            await c.query('INSERT INTO public.bench_ceiling (v) VALUES ($1)', ['x']);
            done++;
          }
        } finally {
          await c.end();
        }
      }),
    );
  } finally {
    await admin.query('DROP TABLE IF EXISTS public.bench_ceiling');
    await admin.end();
  }
  return done / seconds;
}
