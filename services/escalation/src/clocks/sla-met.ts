import {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import { Counter } from 'prom-client';

export interface StoppedClock {
  severity: string;
  region: string;
  /** the target the clock measured (null: downtime, legacy ladder row) */
  target: string | null;
  breached: boolean;
}

type MetCounter = Counter<'severity' | 'target' | 'region'>;
const pending = new WeakMap<QueryRunner, StoppedClock[]>();
const counters = new WeakMap<DataSource, MetCounter>();

const inc = (met: MetCounter | undefined, c: StoppedClock) => met?.inc({ severity: c.severity, target: c.target!, region: c.region });

/** Counts the met targets of clocks stopped through `dataSource` into `met`. */
export function countSlaMet(dataSource: DataSource, met: MetCounter): void {
  counters.set(dataSource, met);
  dataSource.subscribers.push(new SlaMetSubscriber(met));
}

/**
 * Clocks stopped by a milestone or the resolution without their breach having fired meet their
 * target: counted once the stopping transaction commits (a rolled-back or redelivered stop adds
 * nothing), so "% within SLA" is met / (met + breached).
 */
export function countMetOnCommit(m: EntityManager, stopped: StoppedClock[]): void {
  const met = stopped.filter((c) => c.target !== null && !c.breached);
  if (!met.length) return;
  const qr = m.queryRunner;
  if (!qr?.isTransactionActive) return met.forEach((c) => inc(counters.get(m.connection), c));
  pending.set(qr, [...(pending.get(qr) ?? []), ...met]);
}

/** Flushes what `countMetOnCommit` held for a transaction when its outermost level commits. */
class SlaMetSubscriber implements EntitySubscriberInterface {
  constructor(private readonly met: MetCounter) {}

  afterTransactionCommit(e: TransactionCommitEvent): void {
    if (e.queryRunner.isTransactionActive) return; // a savepoint released; the transaction goes on
    const held = pending.get(e.queryRunner);
    pending.delete(e.queryRunner);
    for (const c of held ?? []) inc(this.met, c);
  }

  afterTransactionRollback(e: TransactionRollbackEvent): void {
    pending.delete(e.queryRunner);
  }
}
