import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { signDevToken } from '@aftersales/platform';
import { startAllInOne, DEV_JWT_SECRET } from '../../apps/all-in-one/src/all-in-one';
import { BENCH_REQUEST_BODY, openLoop, percentile, seedBenchCustomers } from './open-loop';
import { PgCensus } from './pg-census';

type Figures = Record<string, number>;
const TICK_MS = 10; // USER_HZ of /proc/<pid>/task/<tid>/stat

/** CPU ms of the process's main thread (the one that runs every service), not the generator's worker. */
function mainThreadCpuMs(): { user: number; kernel: number } {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) * TICK_MS, kernel: Number(fields[12]) * TICK_MS }; // utime, stime
}

/**
 * `npm run bench -- reads`: node CPU per read on the all-in-one. Files `BENCH_CASES` requests (300),
 * then holds GET /cases/{id} and GET /cases?limit=20 at `BENCH_READ_RATE` (200) rps for 10 s each
 * and prints p50/p99, the main thread's CPU ms per read (the generator runs in a worker thread) and
 * the load average. `BENCH_PROFILE=dir` writes a .cpuprofile of each hold there.
 */
export async function benchReads(): Promise<Array<{ title: string; figures: Figures }>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aftersales-reads-'));
  const system = await startAllInOne({ ...process.env, AFTERSALES_DATA_DIR: dataDir, AFTERSALES_PORT_BASE: '0', LOG_LEVEL: 'warn' });
  const results: Array<{ title: string; figures: Figures }> = [];
  try {
    const token = await signDevToken(DEV_JWT_SECRET, { sub: 'bench', roles: ['agent'], region: process.env.REGION ?? 'local' });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const [intake, caseUrl] = system.services.map((s) => s.url);
    await seedBenchCustomers(intake!, headers);
    const cases = Number(process.env.BENCH_CASES ?? 300);
    await openLoop({ method: 'POST', urls: [`${intake}/requests`], headers, body: BENCH_REQUEST_BODY, rate: 20, seconds: cases / 20 });
    // the cases of those requests, as the desk lists them
    let ids: string[] = [];
    for (let tries = 0; tries < 600 && ids.length < cases * 0.95; tries++) {
      const page = (await (await fetch(`${caseUrl}/cases?limit=100&offset=0`, { headers })).json()) as { total: number };
      if (page.total >= cases * 0.95) {
        for (let offset = 0; offset < page.total; offset += 100) {
          const p = (await (await fetch(`${caseUrl}/cases?limit=100&offset=${offset}`, { headers })).json()) as {
            items: Array<{ id: string }>;
          };
          ids.push(...p.items.map((i) => i.id));
        }
      }
      if (ids.length < cases * 0.95) ids = [];
      await new Promise((r) => setTimeout(r, 100));
    }
    const rate = Number(process.env.BENCH_READ_RATE ?? 200);
    const routes = [
      { name: 'GET /cases/{id}', urls: ids.map((id) => `${caseUrl}/cases/${id}`) },
      { name: 'GET /cases?limit=20', urls: [`${caseUrl}/cases?limit=20`] },
    ];
    const profileDir = process.env.BENCH_PROFILE;
    for (const route of routes) {
      await openLoop({ method: 'GET', urls: route.urls, headers, rate: 50, seconds: 4 }); // warm-up
      const session = profileDir ? new Session() : undefined;
      if (session) {
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
      }
      // every statement the process sends during the hold (the relays' and timers' included)
      const census = new PgCensus();
      census.install();
      const load0 = loadavg()[0] ?? NaN;
      const cpu0 = mainThreadCpuMs();
      const r = await openLoop({ method: 'GET', urls: route.urls, headers, rate, seconds: 10 });
      const cpu1 = mainThreadCpuMs();
      const cpu = cpu1.user + cpu1.kernel - cpu0.user - cpu0.kernel;
      const kernel = cpu1.kernel - cpu0.kernel;
      census.uninstall();
      const setConfig = census
        .top(1000)
        .filter(([shape]) => /set_config/i.test(shape))
        .reduce((n, [, c]) => n + c, 0);
      if (session) {
        const { profile } = await session.post('Profiler.stop');
        const file = join(profileDir!, `${route.name.replace(/[^a-z0-9]+/gi, '_')}.cpuprofile`);
        writeFileSync(file, JSON.stringify(profile));
        session.disconnect();
      }
      results.push({
        title: `${route.name} at ${rate} rps for 10 s (${ids.length} cases)`,
        figures: {
          p50: percentile(r.latencies, 50),
          p99: percentile(r.latencies, 99),
          sent: r.sent,
          'non-200': r.sent - (r.statuses['200'] ?? 0),
          'main thread CPU ms per read': cpu / Math.max(1, r.sent),
          'of which in the kernel': kernel / Math.max(1, r.sent),
          'statements per read (all the process sent)': census.total() / Math.max(1, r.sent),
          'set_config statements': setConfig,
          'load average (1 min) before': load0,
          'load average (1 min) after': loadavg()[0] ?? NaN,
        },
      });
    }
    return results;
  } finally {
    await system.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
