import { assertIdentifier, selectSingle } from '@aftersales/persistence';
import { DataSource } from 'typeorm';
import { RelayLogger } from './outbox-relay';
import { errorMessage } from './error-message';

/** Rows of `table` whose `timeColumn` is older than `keepMs` are deleted. */
export interface RetentionRule {
  table: string;
  timeColumn: string;
  keepMs: number;
}

export interface RetentionSweepOptions {
  dataSource: DataSource;
  schema: string;
  rules: RetentionRule[];
  /** how often to sweep (ms) */
  sweepMs: number;
  /** rows per DELETE: short statements, no long locks on hot tables */
  batch?: number;
  /** only one replica sweeps: the one that relays (it holds the schema's relay lock) */
  isLeader: () => boolean;
  logger?: RelayLogger;
  onPurged?: (table: string, rows: number) => void;
}

/**
 * Keeps the bookkeeping tables of a service schema from growing without end: published outbox
 * rows, inbox ids and idempotency keys are needed for a while (replay, redelivery, client
 * retries) and then never again. Rows that still matter are never matched: an unsent or dead
 * outbox row has no `sent_at`, and an inbox id is kept longer than the broker keeps messages
 * that could be redelivered (`INBOX_RETENTION_DAYS`).
 */
export class RetentionSweep {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  /** set by stop(): a sweep in progress ends after its current batch */
  private stopped = false;
  private readonly batch: number;

  constructor(private readonly o: RetentionSweepOptions) {
    this.batch = o.batch ?? 10_000;
    assertIdentifier(o.schema);
    for (const r of o.rules) {
      assertIdentifier(r.table);
      assertIdentifier(r.timeColumn);
    }
  }

  start(): void {
    this.stopped = false;
    this.schedule(this.o.sweepMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = (this.o.isLeader() ? this.sweep() : Promise.resolve())
        .catch((e: unknown) => this.o.logger?.error(`retention sweep: ${errorMessage(e)}`))
        .finally(() => this.schedule(this.o.sweepMs));
    }, ms);
    this.timer.unref?.();
  }

  /** Deletes what every rule lets go, in batches; returns the rows deleted per table. */
  async sweep(now = new Date()): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const r of this.o.rules) {
      const table = `"${this.o.schema}".${r.table}`;
      const { exists } = await selectSingle<{ exists: boolean }>(this.o.dataSource, `SELECT to_regclass($1) IS NOT NULL AS exists`, [
        table,
      ]);
      if (!exists) continue; // a schema without that table (e.g. no idempotency keys)
      const before = new Date(now.getTime() - r.keepMs);
      let total = 0;
      for (;;) {
        const { n } = await selectSingle<{ n: number }>(
          this.o.dataSource,
          `WITH gone AS (DELETE FROM ${table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE ${r.timeColumn} < $1 LIMIT $2)) RETURNING 1)
           SELECT count(*)::int AS n FROM gone`,
          [before, this.batch],
        );
        total += n;
        if (n < this.batch || this.stopped) break;
      }
      out[r.table] = total;
      if (total > 0) {
        this.o.onPurged?.(r.table, total);
        this.o.logger?.log(`retention: deleted ${total} rows of ${r.table} older than ${before.toISOString()}`);
      }
    }
    return out;
  }
}
