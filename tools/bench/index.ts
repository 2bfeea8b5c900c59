/**
 * `npm run bench [-- suite…]`: prints measured numbers and ratios against targets; never a pass/fail.
 * Suites: calendar (BusinessCalendar due dates), skeleton (all-in-one request → case → notification),
 * escalation (firing loop at up to 1 M open clocks; see escalation.bench.ts for its settings),
 * spares (100 clients reserving one part at one depot; see spares.bench.ts),
 * notify (rung → e-mail accepted by a local SMTP listener; see notify.bench.ts),
 * load (open-loop load on the request path against the database's own ceiling; `--soak` adds 10 minutes at 70 %,
 *   `--distributed` runs the six services as processes over Kafka instead of the all-in-one),
 * reads (CPU per read on GET /cases/{id} and GET /cases?limit=20 at a fixed rate).
 * `--otel` starts the OpenTelemetry instrumentation first, as `npm start` does.
 */
import './telemetry-first';
import { benchCalendar } from './calendar.bench';
import { benchSkeleton } from './skeleton.bench';
import { benchEscalation } from './escalation.bench';
import { benchSpares } from './spares.bench';
import { benchNotify } from './notify.bench';
import { benchLoad } from './load.bench';
import { benchReads } from './reads.bench';

function calendar(): void {
  const r = benchCalendar();
  print('calendar', {
    'addBusinessMinutes/s': r.opsPerSecond,
    'businessMinutesBetween/s': r.betweenOpsPerSecond,
    'ratio to target 500k/s': r.opsPerSecond / 500_000,
    'cold first call ms': r.coldFirstCallMs,
  });
}

const SUITES: Record<string, () => void | Promise<void>> = {
  calendar,
  skeleton: async () => print('skeleton (all-in-one)', await benchSkeleton(Number(process.env.BENCH_REQUESTS ?? 1000))),
  escalation: async () => {
    calendar();
    for (const r of await benchEscalation()) print(r.title, r.figures);
  },
  spares: async () => print('spares (reservations of one part, contended)', await benchSpares()),
  notify: async () => {
    for (const r of await benchNotify()) print(r.title, r.figures);
  },
  reads: async () => {
    for (const r of await benchReads()) print(r.title, r.figures);
  },
  load: async () => {
    for (const r of await benchLoad({ soak: process.argv.includes('--soak'), distributed: process.argv.includes('--distributed') }))
      print(r.title, r.figures);
  },
};

function print(suite: string, figures: Record<string, number>): void {
  console.log(`\n${suite}`);
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(34)} ${Number.isInteger(v) ? v : v.toFixed(3)}`);
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  // load runs only when asked for: it takes minutes (a quarter of an hour with --soak)
  const names = wanted.length ? wanted : Object.keys(SUITES).filter((s) => s !== 'load' && s !== 'reads');
  const suites = names.map((name) => ({ name, run: SUITES[name] }));
  const unknown = suites.filter((s) => !s.run).map((s) => s.name);
  if (unknown.length) throw new Error(`unknown suite ${unknown.join(', ')}; suites: ${Object.keys(SUITES).join(', ')}`);
  for (const { run } of suites) await run?.();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
