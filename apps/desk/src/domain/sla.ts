import type { BoardClock, Case } from '../api/types';

/** How close a case is to its next breach, as the queues colour it. */
export type Risk = 'breached' | 'critical' | 'warning' | 'ok' | 'paused' | 'none';

const MIN = 60_000;

export function riskOf(msLeft: number | null, paused = false): Risk {
  if (paused) return 'paused';
  if (msLeft === null) return 'none';
  if (msLeft <= 0) return 'breached';
  if (msLeft < 15 * MIN) return 'critical';
  if (msLeft < 60 * MIN) return 'warning';
  return 'ok';
}

/** `1:05:09`, `-0:03:12` when past due, `2d 4h` beyond a day. */
export function formatCountdown(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const total = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return `${sign}${d}d ${h}h`;
  return `${sign}${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

export interface CaseBreach {
  /** the soonest planned breach of a running clock that is not paused */
  dueAt: number | null;
  paused: boolean;
  target: string | null;
}

/** A case's next breach from its clocks: the earliest running one; paused when every running clock waits. */
export function breachOf(clocks: BoardClock[]): CaseBreach {
  const running = clocks.filter((k) => k.state === 'running' && k.dueAt);
  const active = running.filter((k) => !k.pausedSince);
  if (!active.length) return { dueAt: null, paused: running.length > 0, target: null };
  const first = active.reduce((a, b) => (Date.parse(a.dueAt!) <= Date.parse(b.dueAt!) ? a : b));
  return { dueAt: Date.parse(first.dueAt!), paused: false, target: first.target };
}

export function groupByCase(clocks: BoardClock[]): Map<string, BoardClock[]> {
  const out = new Map<string, BoardClock[]>();
  for (const k of clocks) out.set(k.caseId, [...(out.get(k.caseId) ?? []), k]);
  return out;
}

/** Soonest breach first; paused and clockless cases after, by severity and age. */
export function sortByBreach<T extends Pick<Case, 'id' | 'severity' | 'openedAt'>>(cases: T[], breaches: Map<string, CaseBreach>): T[] {
  const due = (c: T) => breaches.get(c.id)?.dueAt ?? Number.POSITIVE_INFINITY;
  return [...cases].sort(
    (a, b) => due(a) - due(b) || a.severity.localeCompare(b.severity) || Date.parse(a.openedAt) - Date.parse(b.openedAt),
  );
}
