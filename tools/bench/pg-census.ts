import { Client } from 'pg';

/**
 * Counts what the process sends to PostgreSQL, per statement shape (literals and whitespace folded),
 * for the breakdown in docs/performance.md where pg_stat_statements cannot be preloaded.
 * Hooks pg's Client#query, which TypeORM and the relays all go through.
 */
export class PgCensus {
  private readonly counts = new Map<string, number>();
  private original?: typeof Client.prototype.query;

  install(): void {
    if (this.original) return;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be re-applied below with each client's own `this`
    const original = Client.prototype.query;
    this.original = original;
    const counts = this.counts;
    const inTx = new WeakSet<Client>();
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      const q = args[0];
      const text = typeof q === 'string' ? q : ((q as { text?: string })?.text ?? '?');
      const shape = text
        .replace(/\s+/g, ' ')
        .replace(/'[^']*'/g, "'…'")
        .trim()
        .slice(0, 150);
      if (/^(START TRANSACTION|BEGIN)/i.test(shape)) inTx.add(this);
      // a statement outside BEGIN…COMMIT is a transaction of its own: marked "auto"
      const key = `${inTx.has(this) ? '    ' : 'auto'} ${shape}`;
      if (/^(COMMIT|ROLLBACK)/i.test(shape)) inTx.delete(this);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
  }

  uninstall(): void {
    if (this.original) Client.prototype.query = this.original;
    this.original = undefined;
  }

  reset(): void {
    this.counts.clear();
  }

  /** statement shapes, most frequent first */
  top(n = 40): Array<[string, number]> {
    return [...this.counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  }

  /** transactions sent: explicit ones plus statements run on their own */
  transactions(): number {
    let t = 0;
    for (const [k, v] of this.counts) if (k.startsWith('auto') || /^\s+(START TRANSACTION|BEGIN)/i.test(k)) t += v;
    return t;
  }

  total(): number {
    let t = 0;
    for (const v of this.counts.values()) t += v;
    return t;
  }
}

/** Committed and rolled-back transactions of one database so far (pg_stat_database; flushed when backends idle or exit). */
export async function transactionCount(databaseUrl: string): Promise<{ commits: number; rollbacks: number }> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query('SELECT pg_stat_clear_snapshot()');
    const r = await c.query(
      'SELECT xact_commit::bigint AS commits, xact_rollback::bigint AS rollbacks FROM pg_stat_database WHERE datname = current_database()',
    );
    return { commits: Number(r.rows[0].commits), rollbacks: Number(r.rows[0].rollbacks) };
  } finally {
    await c.end();
  }
}
