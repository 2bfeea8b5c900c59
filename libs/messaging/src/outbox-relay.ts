import { EventEnvelope } from '@aftersales/contracts';
import { selectRows, selectSingle } from '@aftersales/persistence';
import { DataSource } from 'typeorm';
import { EventBus } from './bus';
import { outboxChannel } from './messaging-tables';
import { OutboxListener } from './outbox-listener';
import { startPublishSpans } from './messaging-spans';
import { errorMessage } from './error-message';

export interface RelayLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface OutboxRelayOptions {
  dataSource: DataSource;
  databaseUrl: string;
  schema: string;
  bus: EventBus;
  /** the publishing service, named on the producer spans */
  service?: string;
  /** polling fallback when a NOTIFY is missed (connection blip, another replica's insert) */
  pollMs?: number;
  batchSize?: number;
  /** after this many failed publishes a row is set aside as dead (visible, counted), so it cannot block the rest */
  maxAttempts?: number;
  logger?: RelayLogger;
  onPublished?: (topic: string, count: number) => void;
  onDead?: (topic: string) => void;
}

interface OutboxRow {
  id: string;
  event_id: string;
  topic: string;
  aggregate_id: string;
  event_type: string;
  payload: unknown;
  metadata: { source: string; time: string; traceparent?: string; correlationId?: string; causationId?: string };
  attempts: number;
}

/**
 * Publishes a schema's outbox in insertion order. One replica at a time relays (a session
 * advisory lock on the LISTEN connection), so order per aggregate holds without coordination;
 * another replica takes over as soon as that connection is gone. A crash between publishing and
 * marking rows sent republishes them, which the consumers' inboxes absorb.
 */
export class OutboxRelay {
  private listener?: OutboxListener;
  private leader = false;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private wakeAgain = false;
  private stopped = false;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly maxAttempts: number;

  constructor(private readonly o: OutboxRelayOptions) {
    this.pollMs = o.pollMs ?? 1000;
    this.batchSize = o.batchSize ?? 200;
    this.maxAttempts = o.maxAttempts ?? 20;
  }

  async start(): Promise<void> {
    await this.connectListener();
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    const l = this.listener;
    this.listener = undefined;
    // the connection may live on for other schemas' relays: hand the lead over explicitly
    const unlock = this.leader ? { sql: 'SELECT pg_advisory_unlock(hashtext($1))', params: [this.lockKey()] } : undefined;
    this.leader = false;
    await l?.leave(this.o.schema, unlock).catch(() => undefined);
  }

  isLeader(): boolean {
    return this.leader;
  }

  /** Runs the relay until the outbox is empty (tests and shutdown use it). */
  async drain(): Promise<void> {
    while (this.running) await this.running;
    const run = this.loop();
    this.running = run.catch(() => undefined);
    try {
      await run;
    } finally {
      // hand the relay back to its timer: a drain must not leave it looking busy forever
      this.running = undefined;
      const again = this.wakeAgain;
      this.wakeAgain = false;
      this.schedule(again ? 0 : this.pollMs);
    }
  }

  /** Unsent rows and the age of the oldest one, for the outbox lag metrics. */
  async backlog(): Promise<{ pending: number; oldestAgeSeconds: number }> {
    const row = await selectSingle<{ pending: number; age: number }>(
      this.o.dataSource,
      `SELECT count(*)::int AS pending, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float AS age
       FROM "${this.o.schema}".outbox WHERE sent_at IS NULL AND dead_at IS NULL`,
    );
    return { pending: row.pending, oldestAgeSeconds: row.age };
  }

  private async connectListener(): Promise<void> {
    this.listener = await OutboxListener.join(
      this.o.databaseUrl,
      this.o.schema,
      { channel: outboxChannel(this.o.schema), onNotify: () => this.wake(), onLost: () => (this.leader = false) },
      this.o.logger,
    );
  }

  private lockKey(): string {
    return `${this.o.schema}.outbox-relay`;
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeAgain = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.running) {
        this.wakeAgain = true;
        return;
      }
      this.running = this.loop()
        .catch((e) => this.o.logger?.error(`outbox relay: ${errorMessage(e)}`))
        .finally(() => {
          this.running = undefined;
          const again = this.wakeAgain;
          this.wakeAgain = false;
          this.schedule(again ? 0 : this.pollMs);
        });
    }, ms);
  }

  private async tryLead(): Promise<boolean> {
    if (this.leader) return true;
    if (!this.listener?.isConnected()) return false;
    const [r] = await this.listener.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [this.lockKey()]);
    this.leader = r?.ok === true;
    return this.leader;
  }

  private async loop(): Promise<void> {
    if (!(await this.tryLead())) return;
    for (;;) {
      if (this.stopped) return;
      const rows = await selectRows<OutboxRow>(
        this.o.dataSource,
        `SELECT id, event_id, topic, aggregate_id, event_type, payload, metadata, attempts
         FROM "${this.o.schema}".outbox WHERE sent_at IS NULL AND dead_at IS NULL ORDER BY id LIMIT $1`,
        [this.batchSize],
      );
      if (rows.length === 0) return;
      const published = await this.publishInOrder(rows);
      if (published < rows.length) return; // a failure: back off until the next tick
      if (rows.length < this.batchSize) return;
    }
  }

  /** Publishes consecutive runs of the same topic; stops at the first failure to keep order. */
  private async publishInOrder(rows: OutboxRow[]): Promise<number> {
    let done = 0;
    while (done < rows.length) {
      const first = rows[done]!; // done < rows.length
      const topic = first.topic;
      let end = done;
      while (rows[end]?.topic === topic) end++;
      const run = rows.slice(done, end);
      const spans = startPublishSpans(topic, run.map(toEnvelope), { service: this.o.service, busKind: this.o.bus.kind });
      try {
        await this.o.bus.publish(topic, spans.envelopes);
        spans.end();
      } catch (e) {
        spans.end(e);
        await this.recordFailure(first, e);
        return done;
      }
      await this.o.dataSource.query(`UPDATE "${this.o.schema}".outbox SET sent_at = now() WHERE id = ANY($1::bigint[])`, [
        run.map((r) => r.id),
      ]);
      this.o.onPublished?.(topic, run.length);
      done = end;
    }
    return done;
  }

  private async recordFailure(row: OutboxRow, e: unknown): Promise<void> {
    const message = errorMessage(e);
    const dead = row.attempts + 1 >= this.maxAttempts;
    await this.o.dataSource.query(
      `UPDATE "${this.o.schema}".outbox SET attempts = attempts + 1, last_error = $2, dead_at = CASE WHEN $3 THEN now() END WHERE id = $1`,
      [row.id, message, dead],
    );
    if (dead) {
      this.o.onDead?.(row.topic);
      this.o.logger?.error(`outbox event ${row.event_id} (${row.event_type}) set aside after ${row.attempts + 1} attempts: ${message}`);
    } else {
      this.o.logger?.warn(`publishing outbox event ${row.event_id} failed (attempt ${row.attempts + 1}): ${message}`);
    }
  }
}

function toEnvelope(r: OutboxRow): EventEnvelope {
  return {
    id: r.event_id,
    type: r.event_type,
    source: r.metadata.source,
    time: r.metadata.time,
    subject: r.aggregate_id,
    data: r.payload,
    traceparent: r.metadata.traceparent,
    correlationId: r.metadata.correlationId,
    causationId: r.metadata.causationId,
  };
}
