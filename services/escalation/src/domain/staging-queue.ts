/** A staged batch not yet fully written: the window it commits at and the clocks it has still to write. */
export interface PendingWrite {
  windowStart: number;
  left: number;
}

/** How a writer budgets time: measured write time per clock (ms), times `safety`, plus `marginMs`. */
export interface WriteBudget {
  msPerClock: number;
  writers: number;
  safety: number;
  marginMs: number;
}

/**
 * Whether staged writers may still wait (for due-now work) at `now` and every pending batch be
 * written before its window starts. A batch is written by one writer, and the batches for windows
 * up to its own share the `writers` ahead of it — so a batch needs the larger of its own write
 * time and its share of everything due by its window. Counting only its own clocks let the last
 * batches of a large burst run out of time behind writers that had waited.
 */
export function mayDefer(now: number, pending: readonly PendingWrite[], b: WriteBudget): boolean {
  const byWindow = [...pending].filter((p) => p.left > 0).sort((x, y) => x.windowStart - y.windowStart);
  let cumulative = 0;
  let i = 0;
  while (i < byWindow.length) {
    // batches of the same window are written in any order: all of them count for each
    const start = byWindow[i]!.windowStart; // i < byWindow.length
    let own = 0;
    for (let p = byWindow[i]; p !== undefined && p.windowStart === start; p = byWindow[++i]) {
      cumulative += p.left;
      own = Math.max(own, p.left);
    }
    const needMs = b.safety * b.msPerClock * Math.max(own, cumulative / Math.max(1, b.writers)) + b.marginMs;
    if (now + needMs >= start) return false;
  }
  return true;
}
