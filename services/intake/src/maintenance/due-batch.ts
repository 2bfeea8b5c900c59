import { DataSource, EntityManager } from 'typeorm';

/**
 * One batch of timer rows that fell due: claimed FOR UPDATE SKIP LOCKED by `claim` (so replicas
 * never take the same row) and each acted on in that same transaction (so a row is acted on once).
 * Answers how many were claimed: call again while that is the batch size.
 */
export function dueBatch<R>(
  ds: DataSource,
  claim: (m: EntityManager) => Promise<R[]>,
  act: (m: EntityManager, row: R) => Promise<void>,
): Promise<number> {
  return ds.transaction(async (m) => {
    const due = await claim(m);
    for (const row of due) await act(m, row);
    return due.length;
  });
}

/** What a claimed row points at by foreign key: there while the row is, so its absence is a clear error. */
export function pointedAt<T>(found: T | null, what: string): T {
  if (found === null) throw new Error(`${what} is gone though a due row points at it`);
  return found;
}
