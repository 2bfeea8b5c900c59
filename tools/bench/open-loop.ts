import { Worker } from 'node:worker_threads';

export interface OpenLoopPlan {
  method: 'GET' | 'POST';
  /** one URL, or one per request (taken round robin) */
  urls: string[];
  headers: Record<string, string>;
  /** POST body; `{i}` becomes the request's number, `{c}` that number modulo 50 */
  body?: string;
  rate: number;
  seconds: number;
  /** beyond this many unanswered requests the generator counts a drop instead of sending */
  maxInFlight?: number;
}

export interface OpenLoopResult {
  sent: number;
  dropped: number;
  /** ms from the request's scheduled time (not its actual send) to its answer: no coordinated omission */
  latencies: number[];
  statuses: Record<string, number>;
  /** `id` of each JSON answer that had one */
  ids: string[];
}

// plain JS in a worker thread: the generator must not take the system's own event loop
const WORKER = `
const { parentPort, workerData: p } = require('node:worker_threads');
const latencies = [], ids = [], statuses = {};
let sent = 0, dropped = 0, inFlight = 0, done = 0;
const t0 = performance.now(), total = Math.round(p.rate * p.seconds);
const fire = (i) => {
  const scheduled = t0 + (i * 1000) / p.rate;
  if (inFlight >= p.maxInFlight) { dropped++; done++; return; }
  inFlight++; sent++;
  fetch(p.urls[i % p.urls.length], { method: p.method, headers: p.headers, body: p.body ? p.body.replaceAll('{i}', String(i)).replaceAll('{c}', String(i % 50)) : undefined })
    .then(async (res) => {
      const text = await res.text();
      latencies.push(performance.now() - scheduled);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (p.method === 'POST') try { const id = JSON.parse(text).id; if (id) ids.push(id); } catch {}
    }, () => { statuses.error = (statuses.error ?? 0) + 1; })
    .finally(() => { inFlight--; if (++done === total) parentPort.postMessage({ sent, dropped, latencies, statuses, ids }); });
};
let next = 0;
const tick = () => {
  const due = Math.min(total, Math.floor(((performance.now() - t0) * p.rate) / 1000) + 1);
  while (next < due) fire(next++);
  if (next < total) setTimeout(tick, 1);
};
if (total === 0) parentPort.postMessage({ sent, dropped, latencies, statuses, ids }); else tick();
`;

/** Sends requests at a fixed rate whatever the answers take (an open loop), from a worker thread. */
export function openLoop(plan: OpenLoopPlan): Promise<OpenLoopResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { eval: true, workerData: { maxInFlight: 2000, ...plan } });
    w.once('message', (r: OpenLoopResult) => {
      resolve(r);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** The bench's customers C-0 … C-49 (a 409 means an earlier run filed them). */
export async function seedBenchCustomers(intakeUrl: string, headers: Record<string, string>): Promise<void> {
  for (let c = 0; c < 50; c++) {
    const res = await fetch(`${intakeUrl}/customers`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ id: `C-${c}`, name: `Bench ${c}` }),
    });
    if (res.status !== 201 && res.status !== 409) throw new Error(`POST /customers answered ${res.status}: ${await res.text()}`);
  }
}

/** The body of POST /requests the open loop sends: `{c}` picks one of the bench's customers, `{i}` numbers the symptom. */
export const BENCH_REQUEST_BODY = JSON.stringify({
  customerId: 'C-{c}',
  contact: { name: 'Bench', email: 'bench@example.com' },
  channel: 'phone',
  severity: 'P3',
  symptom: 'bench {i}',
});
