import { AsyncLocalStorage } from 'node:async_hooks';
import Pool from 'pg-pool';
import { EntityManager } from 'typeorm';

interface OpenTransaction {
  pool: unknown;
  open: boolean;
}

type RunInTransaction = (m: EntityManager) => Promise<unknown>;

/**
 * Finds code that takes a second connection of its pool while its own transaction is open: the
 * pattern that would wait forever once a small pool (DB_POOL_SIZE) is all held by transactions
 * waiting so. Hooks TypeORM's EntityManager#transaction (every service's and the inboxes'
 * transactions go through it) and pg-pool's connect, and records the stack of each such connect.
 */
export class PoolGuard {
  private readonly open = new AsyncLocalStorage<OpenTransaction>();
  readonly nested = new Map<string, number>();
  transactions = 0;

  install(): void {
    const open = this.open;
    const nested = this.nested;
    const transaction = Reflect.get(EntityManager.prototype, 'transaction') as (
      this: EntityManager,
      ...args: unknown[]
    ) => Promise<unknown>;
    const count = () => this.transactions++;
    const guarded =
      (pool: unknown, fn: RunInTransaction): RunInTransaction =>
      (m) => {
        count();
        const tx: OpenTransaction = { pool, open: true };
        return open.run(tx, () => fn(m).finally(() => (tx.open = false)));
      };
    Object.assign(EntityManager.prototype, {
      transaction(this: EntityManager, ...args: unknown[]) {
        // a transaction inside one (a savepoint) takes no connection: only the outermost is watched
        if (this.queryRunner?.isTransactionActive) return transaction.apply(this, args);
        const pool = (this.connection.driver as unknown as { master: unknown }).master;
        // (runInTransaction) or (isolationLevel, runInTransaction); DataSource passes a trailing undefined
        const at = args.findIndex((a) => typeof a === 'function');
        const fn = args[at] as RunInTransaction;
        return transaction.apply(
          this,
          args.map((a, i) => (i === at ? guarded(pool, fn) : a)),
        );
      },
    });
    const connect = Reflect.get(Pool.prototype, 'connect') as (this: unknown, ...args: unknown[]) => unknown;
    Object.assign(Pool.prototype, {
      connect(this: unknown, ...args: unknown[]) {
        const tx = open.getStore();
        if (tx?.open && tx.pool === this) {
          const limit = Error.stackTraceLimit;
          Error.stackTraceLimit = 40;
          const frames = (new Error().stack ?? '').split('\n').slice(2);
          Error.stackTraceLimit = limit;
          // the application's frames: who asked for the second connection
          const stack = frames
            .filter((f) => !/node_modules|node:internal|\/src\/(driver|entity-manager|data-source)\//.test(f))
            .slice(0, 8)
            .join('\n');
          nested.set(stack, (nested.get(stack) ?? 0) + 1);
        }
        return connect.apply(this, args);
      },
    });
  }

  report(): string {
    if (this.nested.size === 0) return `pool guard: ${this.transactions} transactions, none took a second connection of its pool`;
    const lines = [...this.nested].map(([stack, n]) => `  ${n}× second connection inside a transaction:\n${stack}`);
    return `pool guard: ${this.transactions} transactions\n${lines.join('\n')}`;
  }
}
