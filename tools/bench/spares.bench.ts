/**
 * Reservations under contention: `npm run bench -- spares`.
 *
 * Starts the real spares service (in-process bus, a fresh schema) with one part at one depot. A
 * baseline first: one client reserves BENCH_BASELINE (default 200) units one after the other (no
 * contention: what one request costs here). Then 100 clients (BENCH_CLIENTS) POST /part-requests
 * for that part at once, over HTTP, BENCH_RESERVATIONS (default 5000) requests for as many units:
 * every request fights for the same stock row. Then the same clients ask BENCH_STOCKOUTS (default
 * 2000) more times with the stock gone, for the "out of stock" answer (it looks up the next-best
 * depot). Measures requests per second and the client-side latency (request sent → response read)
 * p50/p99/max of each phase, checks that exactly the stock was reserved, and prints the machine's
 * load average (the numbers mean little on a busy machine).
 *
 * Environment (optional): BENCH_DATABASE_URL / TEST_DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/test if it answers, else an embedded PostgreSQL in a temp dir;
 * DB_POOL_SIZE (default 10) for the service.
 */
import { loadavg } from 'node:os';
import { InProcessBus } from '@aftersales/messaging';
import { dropSchema, uniqueSchema } from '@aftersales/persistence';
import { signDevToken, startService } from '@aftersales/platform';
import { sparesService } from '../../services/spares/src/spares.service-definition';
import { benchDatabase } from './bench-database';
import { percentile } from './open-loop';

const SECRET = 'bench-secret-0123456789-0123456789';

interface Phase {
  requests: number;
  byStatus: Map<number, number>;
  seconds: number;
  latencies: number[];
}

/** `clients` loops, each sending one request at a time until `done()` says stop. */
async function drive(clients: number, send: () => Promise<number>, done: (p: Phase) => boolean): Promise<Phase> {
  const phase: Phase = { requests: 0, byStatus: new Map(), seconds: 0, latencies: [] };
  const start = performance.now();
  const client = async () => {
    while (!done(phase)) {
      phase.requests++;
      const t0 = performance.now();
      const status = await send();
      phase.latencies.push(performance.now() - t0);
      phase.byStatus.set(status, (phase.byStatus.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  phase.seconds = (performance.now() - start) / 1000;
  phase.latencies.sort((a, b) => a - b);
  return phase;
}

export async function benchSpares(): Promise<Record<string, number>> {
  const clients = Number(process.env.BENCH_CLIENTS ?? 100);
  const units = Number(process.env.BENCH_RESERVATIONS ?? 5000);
  const stockouts = Number(process.env.BENCH_STOCKOUTS ?? 2000);
  const baseline = Number(process.env.BENCH_BASELINE ?? 200);
  const db = await benchDatabase('spares');
  const schema = uniqueSchema('bench_spares');
  const service = await startService(sparesService, {
    bus: new InProcessBus(),
    databaseUrl: db.url,
    env: {
      PORT: '0',
      DB_SCHEMA: schema,
      LOG_LEVEL: 'warn',
      JWT_SECRET: SECRET,
      REGION: 'north',
      SPARES_SWEEP_MS: '0',
      DB_POOL_SIZE: process.env.DB_POOL_SIZE ?? '10',
    },
  });
  try {
    const token = await signDevToken(SECRET, { sub: 'bench', roles: ['admin'], region: 'north' });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const post = async (path: string, body: unknown) => {
      const res = await fetch(service.url + path, { method: 'POST', headers, body: JSON.stringify(body) });
      await res.arrayBuffer();
      return res.status;
    };
    const setup = [
      ['/parts', { partNumber: 'PSU-750', description: 'power supply', partClass: 'power', unitCost: '90', contractPrice: '150' }],
      ['/depots', { id: 'N-BJ', name: 'Beijing', region: 'north', home: true }],
      ['/depots', { id: 'S-GZ', name: 'Guangzhou', region: 'south', home: true }],
      ['/depots/N-BJ/stock-in', { partNumber: 'PSU-750', quantity: baseline + units }],
    ] as const;
    for (const [path, body] of setup) if ((await post(path, body)) !== 201) throw new Error(`setup ${path} failed`);
    const reserve = () => post('/part-requests', { partNumber: 'PSU-750', quantity: 1, severity: 'P2' });

    const alone = await drive(1, reserve, (p) => p.requests >= baseline);
    // exactly as many requests as units: each must win a unit, though all fight for one stock row
    const reserved = await drive(clients, reserve, (p) => p.requests >= units);
    const empty = await drive(clients, reserve, (p) => p.requests >= stockouts);

    const [{ on_hand, reserved: held, requests }] = await service.runtime.dataSource.query(
      `SELECT s.on_hand, s.reserved, (SELECT count(*)::int FROM "${schema}".part_requests) AS requests FROM "${schema}".stock s WHERE depot_id = 'N-BJ'`,
    );
    const total = baseline + units;
    if (held !== total || on_hand !== total || requests !== total)
      throw new Error(`oversold or lost: ${held} reserved, ${requests} requests, ${total} units`);
    const other = (p: Phase, ok: number) => [...p.byStatus].filter(([s]) => s !== ok).reduce((n, [, c]) => n + c, 0);
    return {
      'load average (1 min) at the end': loadavg()[0] ?? NaN,
      'baseline: reservations/s, 1 client': (alone.byStatus.get(201) ?? 0) / alone.seconds,
      'baseline: reservation p50 ms': percentile(alone.latencies, 50),
      'baseline: reservation p99 ms': percentile(alone.latencies, 99),
      clients,
      'reservations (all 201)': reserved.byStatus.get(201) ?? 0,
      'reservations/s under contention': (reserved.byStatus.get(201) ?? 0) / reserved.seconds,
      'reservation p50 ms': percentile(reserved.latencies, 50),
      'reservation p99 ms': percentile(reserved.latencies, 99),
      'reservation max ms': percentile(reserved.latencies, 100),
      'other answers while reserving': other(reserved, 201),
      'out-of-stock answers (409)': empty.byStatus.get(409) ?? 0,
      'out-of-stock answers/s': (empty.byStatus.get(409) ?? 0) / empty.seconds,
      'out-of-stock p99 ms': percentile(empty.latencies, 99),
      'other answers when empty': other(empty, 409),
    };
  } finally {
    await service.close();
    await dropSchema(db.url, schema).catch(() => undefined);
    await db.stop();
  }
}
