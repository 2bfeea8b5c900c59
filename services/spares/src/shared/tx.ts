import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { SERVICE_CONFIG, StoredResponse, withIdempotency } from '@aftersales/platform';
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

type Work<T> = (m: EntityManager, afterCommit: AfterCommit) => Promise<T>;

/** A transaction whose `afterCommit` callbacks run once it committed, as an event handler's do. */
export async function transaction<T>(ds: DataSource, work: Work<T>): Promise<T> {
  const after: Array<() => void> = [];
  const result = await ds.transaction((m) => work(m, (fn) => void after.push(fn)));
  for (const fn of after) fn();
  return result;
}

/** The spares database as the services use it: plain reads, transactions, and writes done once per Idempotency-Key. */
@Injectable()
export class Transactions {
  private readonly schema: string;
  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.schema = config.database.schema;
  }

  /** For reads outside a transaction. */
  get reads(): EntityManager {
    return this.dataSource.manager;
  }

  run<T>(work: Work<T>): Promise<T> {
    return transaction(this.dataSource, work);
  }

  /** A create in a transaction, once per `key` of a `scope`: a repeat with the same key answers the stored response. */
  once<T>(scope: string, key: string | undefined, body: unknown, create: Work<{ status: number; body: T }>): Promise<StoredResponse<T>> {
    return this.run((m, afterCommit) => withIdempotency(m, this.schema, scope, key, body, () => create(m, afterCommit)));
  }
}
