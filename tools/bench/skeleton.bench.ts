import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDevToken } from '@aftersales/platform';
import { startAllInOne, DEV_JWT_SECRET } from '../../apps/all-in-one/src/all-in-one';
import { PgCensus, transactionCount } from './pg-census';
import { PoolGuard } from './pool-guard';
import { percentile } from './open-loop';

/**
 * Drives `n` requests through the all-in-one system (10 in flight) and measures request → case
 * latency (POST sent → case.opened.v1 out), end-to-end throughput (first POST → last notification)
 * and the process RSS. Uses DATABASE_URL when set, else embedded PostgreSQL in a temp dir.
 */
export async function benchSkeleton(n: number): Promise<Record<string, number>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aftersales-bench-'));
  const bootStart = Date.now();
  const system = await startAllInOne({ ...process.env, AFTERSALES_DATA_DIR: dataDir, AFTERSALES_PORT_BASE: '0', LOG_LEVEL: 'warn' });
  const bootMs = Date.now() - bootStart;
  const rssIdle = process.memoryUsage().rss;
  const token = await signDevToken(DEV_JWT_SECRET, { sub: 'bench', roles: ['agent'], region: process.env.REGION ?? 'local' });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const [intake, , , , , notify] = system.services.map((s) => s.url);
  // a case counts as open when its case.opened.v1 is out (committed and relayed), seen as any consumer sees it
  const opened = new Map<string, () => void>();
  const seen = new Set<string>();
  await system.bus.subscribe({
    group: 'bench.case-opened',
    topic: 'aftersales.case.events.v1',
    handle: (e) => {
      const requestId = (e.data as { requestId: string }).requestId;
      seen.add(requestId);
      opened.get(requestId)?.();
      return Promise.resolve();
    },
  });
  // requests are filed only for registered customers
  for (let c = 0; c < 50; c++) {
    const res = await fetch(`${intake}/customers`, { method: 'POST', headers, body: JSON.stringify({ id: `C-${c}`, name: `Bench ${c}` }) });
    if (res.status !== 201 && res.status !== 409) throw new Error(`POST /customers answered ${res.status}: ${await res.text()}`);
  }
  // BENCH_CENSUS=1 prints the statements sent per request (docs/performance.md's breakdown)
  const census = process.env.BENCH_CENSUS ? new PgCensus() : undefined;
  census?.install();
  // BENCH_POOL_GUARD=1 reports any transaction that takes a second connection of its pool
  const guard = process.env.BENCH_POOL_GUARD ? new PoolGuard() : undefined;
  guard?.install();
  // backends flush their counters when idle for 10 s at the latest: let the boot's transactions land first
  if (!system.embedded) await new Promise((r) => setTimeout(r, 11_000));
  const txBefore = await transactionCount(system.databaseUrl);
  const cpuBefore = process.cpuUsage();
  const latencies: number[] = [];
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const t0 = performance.now();
      const res = await fetch(`${intake}/requests`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          customerId: `C-${i % 50}`,
          contact: { name: 'Bench', email: 'bench@example.com' },
          channel: 'phone',
          severity: 'P3',
          symptom: `bench ${i}`,
        }),
      });
      const { id } = (await res.json()) as { id: string };
      await new Promise<void>((resolve) => (seen.has(id) ? resolve() : opened.set(id, resolve)));
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));
  for (;;) {
    const page = (await (await fetch(`${notify}/notifications?limit=1`, { headers })).json()) as { total: number };
    if (page.total >= n) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (Date.now() - started) / 1000;
  const rssLoaded = process.memoryUsage().rss;
  const cpu = process.cpuUsage(cpuBefore);
  await system.stop();
  // after stop: every backend has exited and flushed its counters
  const txAfter = await transactionCount(system.databaseUrl).catch(() => undefined);
  census?.uninstall();
  if (census) {
    console.log(
      `\nstatements per request (${(census.total() / n).toFixed(2)} in all, ${(census.transactions() / n).toFixed(2)} transactions)`,
    );
    for (const [shape, count] of census.top(200)) console.log(`  ${(count / n).toFixed(2).padStart(6)}  ${shape}`);
  }
  if (guard) console.log(`\n${guard.report()}`);
  rmSync(dataDir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  return {
    requests: n,
    'boot ms': bootMs,
    'requests/s end to end': n / seconds,
    'request→case p50 ms': percentile(latencies, 50),
    'request→case p99 ms': percentile(latencies, 99),
    // robust on a shared machine: the node thread's CPU per request does not depend on neighbours
    'node CPU ms per request': (cpu.user + cpu.system) / 1000 / n,
    'RSS idle MiB': rssIdle / 2 ** 20,
    'RSS after load MiB': rssLoaded / 2 ** 20,
    ...(txAfter ? { 'transactions per request': (txAfter.commits - txBefore.commits) / n } : {}),
  };
}
