import { Client } from 'pg';

export interface ListenerLogger {
  warn(message: string): void;
  error(message: string): void;
}

interface Member {
  channel: string;
  onNotify: () => void;
  /** the connection died: the member's advisory locks died with it */
  onLost: () => void;
}

/**
 * One LISTEN connection shared by the outbox relays of one process and database, one relay per
 * schema. PostgreSQL wakes every listening backend of the database on each NOTIFY, and each one
 * reads the queue in a transaction of its own: six listeners in the all-in-one turned one outbox
 * insert into six committed transactions. A second relay of a schema already here (two replicas in
 * one process, in tests) gets a connection of its own, so their advisory locks stay apart.
 */
export class OutboxListener {
  private static readonly shared = new Set<OutboxListener>();
  private client?: Client;
  private connecting?: Promise<Client>;
  private readonly members = new Map<string, Member>();
  private closed = false;
  /** the relays share the session: their statements take turns (pg warns about overlapping ones) */
  private turn: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly databaseUrl: string,
    private readonly logger?: ListenerLogger,
  ) {}

  /** Joins (or opens) the process's listener for `databaseUrl` and LISTENs on `member.channel`. */
  static async join(databaseUrl: string, schema: string, member: Member, logger?: ListenerLogger): Promise<OutboxListener> {
    let l = [...OutboxListener.shared].find((s) => s.databaseUrl === databaseUrl && !s.members.has(schema) && !s.closed);
    if (!l) {
      l = new OutboxListener(databaseUrl, logger);
      OutboxListener.shared.add(l);
    }
    l.members.set(schema, member);
    try {
      const c = await l.connection();
      await l.serial(() => c.query(`LISTEN "${member.channel}"`));
    } catch (e) {
      await l.leave(schema);
      throw e;
    }
    return l;
  }

  /** A query on the shared session (advisory locks are held by it); fails while it reconnects. */
  async query<T>(sql: string, params: unknown[]): Promise<T[]> {
    const c = this.client;
    if (!c) throw new Error('outbox listener is reconnecting');
    return (await this.serial(() => c.query(sql, params))).rows as T[];
  }

  private serial<R>(fn: () => Promise<R>): Promise<R> {
    const run = this.turn.then(fn, fn);
    this.turn = run.catch(() => undefined);
    return run;
  }

  isConnected(): boolean {
    return this.client !== undefined;
  }

  /** Stops listening for `schema`; the last member closes the connection. */
  async leave(schema: string, unlock?: { sql: string; params: unknown[] }): Promise<void> {
    const m = this.members.get(schema);
    this.members.delete(schema);
    const c = this.client;
    if (this.members.size === 0) {
      this.closed = true;
      OutboxListener.shared.delete(this);
      this.client = undefined;
      await c?.end().catch(() => undefined);
      return;
    }
    if (c && m) {
      await this.serial(() => c.query(`UNLISTEN "${m.channel}"`)).catch(() => undefined);
      if (unlock) await this.serial(() => c.query(unlock.sql, unlock.params)).catch(() => undefined);
    }
  }

  private connection(): Promise<Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<Client> {
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'aftersales-outbox-relay' });
    client.on('error', (e) => {
      // the locks and the LISTENs die with the connection; reconnect and let the relays compete again
      this.logger?.warn(`outbox relay connection lost: ${e.message}`);
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      for (const m of this.members.values()) m.onLost();
      if (!this.closed) setTimeout(() => this.reconnect(), 1000);
    });
    client.on('notification', (n) => {
      for (const m of this.members.values()) if (m.channel === n.channel) m.onNotify();
    });
    await client.connect();
    for (const m of [...this.members.values()]) await this.serial(() => client.query(`LISTEN "${m.channel}"`));
    if (this.closed) {
      await client.end().catch(() => undefined);
      throw new Error('outbox listener closed while connecting');
    }
    this.client = client;
    return client;
  }

  private reconnect(): void {
    if (this.closed || this.members.size === 0) return;
    this.connection().catch((err) => {
      this.logger?.error(String(err));
      setTimeout(() => this.reconnect(), 1000);
    });
  }
}
