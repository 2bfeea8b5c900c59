/**
 * Throughput of `BusinessCalendar.addBusinessMinutes` on a business-hours calendar
 * (Mon–Fri 09:00–18:00 Asia/Shanghai with the 2026 public holidays and make-up days),
 * random starts over one year and random N up to 5 business days. Prints nothing.
 *
 *   node -r ./tools/register.js -e "console.log(require('./services/escalation/src/domain/bench-calendar').benchCalendar())"
 */

import { BusinessCalendar, BusinessCalendarDefinition, DAY_MS } from '@aftersales/calendar';

export interface CalendarBenchResult {
  /** addBusinessMinutes calls per second, warm cache */
  opsPerSecond: number;
  /** businessMinutesBetween calls per second, warm cache */
  betweenOpsPerSecond: number;
  iterations: number;
  elapsedMs: number;
  /** time to build a fresh calendar and answer the first call (cold cache) */
  coldFirstCallMs: number;
  /** sum of results, so the work cannot be optimised away */
  checksum: number;
}

export const BENCH_CALENDAR: BusinessCalendarDefinition = {
  id: 'bench-shanghai-business-hours',
  timeZone: 'Asia/Shanghai',
  kind: 'business-hours',
  weekly: {
    1: [{ start: '09:00', end: '18:00' }],
    2: [{ start: '09:00', end: '18:00' }],
    3: [{ start: '09:00', end: '18:00' }],
    4: [{ start: '09:00', end: '18:00' }],
    5: [{ start: '09:00', end: '18:00' }],
  },
  holidays: [
    { date: '2026-01-01', name: '元旦' },
    { from: '2026-02-15', to: '2026-02-23', name: '春节' },
    { from: '2026-04-04', to: '2026-04-06', name: '清明节' },
    { from: '2026-05-01', to: '2026-05-05', name: '劳动节' },
    { from: '2026-06-19', to: '2026-06-21', name: '端午节' },
    { from: '2026-09-25', to: '2026-09-27', name: '中秋节' },
    { from: '2026-10-01', to: '2026-10-07', name: '国庆节' },
  ],
  workdays: ['2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};

/** Deterministic PRNG (mulberry32). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function benchCalendar(options: { iterations?: number; seed?: number } = {}): CalendarBenchResult {
  const iterations = options.iterations ?? 1_000_000;
  const rnd = mulberry32(options.seed ?? 42);
  const yearStart = Date.UTC(2026, 0, 1) - 8 * 3_600_000;
  const maxMinutes = 5 * 9 * 60; // 5 business days of 9 hours
  const size = 1 << 16;
  const starts = new Array<Date>(size);
  const minutes = new Float64Array(size);
  const ends = new Array<Date>(size);
  for (let i = 0; i < size; i++) {
    starts[i] = new Date(yearStart + Math.floor(rnd() * 365 * DAY_MS));
    minutes[i] = 1 + Math.floor(rnd() * maxMinutes);
  }

  let t0 = performance.now();
  const cold = new BusinessCalendar(BENCH_CALENDAR);
  let checksum = cold.addBusinessMinutes(starts[0]!, minutes[0]!).getTime() % 1000;
  const coldFirstCallMs = performance.now() - t0;

  const cal = new BusinessCalendar(BENCH_CALENDAR);
  // Warm up: builds every cached block of the year (plus the spill-over into the next) and lets
  // the JIT settle.
  for (let i = 0; i < size; i++) ends[i] = cal.addBusinessMinutes(starts[i]!, minutes[i]!);
  for (let i = 0; i < size; i++) checksum += cal.businessMinutesBetween(starts[i]!, ends[i]!);

  const mask = size - 1; // size is a power of two: every index below is in range
  t0 = performance.now();
  for (let i = 0; i < iterations; i++) {
    checksum += cal.addBusinessMinutes(starts[i & mask]!, minutes[i & mask]!).getTime() % 7;
  }
  const elapsedMs = performance.now() - t0;

  t0 = performance.now();
  for (let i = 0; i < iterations; i++) {
    checksum += cal.businessMinutesBetween(starts[i & mask]!, ends[i & mask]!) % 7;
  }
  const betweenMs = performance.now() - t0;

  return {
    opsPerSecond: Math.round((iterations / elapsedMs) * 1000),
    betweenOpsPerSecond: Math.round((iterations / betweenMs) * 1000),
    iterations,
    elapsedMs,
    coldFirstCallMs,
    checksum,
  };
}
