import { DataSource, EntityManager } from 'typeorm';

/** Work to do once the transaction committed (metrics): skipped on a rollback. */
export type AfterCommit = (fn: () => void) => void;

/**
 * What an `@OnEvent` handler's transaction hands it, as `HandlerContext` does, with `afterCommit`
 * typed as the plain function it is (the bus passes an arrow), so a handler may destructure it.
 */
export interface TxContext {
  readonly manager: EntityManager;
  readonly afterCommit: AfterCommit;
}

/** A transaction whose `afterCommit` callbacks run once it committed, as an event handler's do. */
export async function transaction<T>(ds: DataSource, work: (m: EntityManager, afterCommit: AfterCommit) => Promise<T>): Promise<T> {
  const after: Array<() => void> = [];
  const result = await ds.transaction((m) => work(m, (fn) => void after.push(fn)));
  for (const fn of after) fn();
  return result;
}
