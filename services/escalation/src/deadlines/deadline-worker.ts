import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Outbox } from '@aftersales/messaging';
import { Clock, PeriodicSweep, SERVICE_SETTINGS } from '@aftersales/platform';
import { DataSource } from 'typeorm';
import { DeadlineMetrics } from './deadline-metrics';
import { DeadlineSettings } from './deadlines.config';
import { Deadline, DeadlinesRepository } from './deadlines.repository';

/**
 * Fires passed task deadlines: each sweep claims open deadlines due at the injected clock's now
 * (`FOR UPDATE SKIP LOCKED`, so replicas share them and never fire one twice), marks them overdue
 * and appends `escalation.deadline.overdue.v1` in the same transaction, batch after batch until
 * none is due. A crash before commit leaves them open for the next claimer.
 */
@Injectable()
export class DeadlineWorker extends PeriodicSweep implements OnModuleInit, OnModuleDestroy {
  private readonly batchSize: number;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_SETTINGS) settings: DeadlineSettings,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    private readonly deadlines: DeadlinesRepository,
    private readonly metrics: DeadlineMetrics,
  ) {
    super('deadline worker', settings.ESCALATION_DEADLINE_SWEEP_MS, new Logger('DeadlineWorker'));
    this.batchSize = settings.ESCALATION_DEADLINE_BATCH;
  }

  /** Fires every deadline due now; returns how many this call fired. */
  async sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const fired = await this.fireBatch();
      total += fired.length;
      for (const d of fired) this.metrics.count(d.kind, 'overdue');
      if (fired.length < this.batchSize) return total;
    }
  }

  private fireBatch(): Promise<Deadline[]> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const due = await this.deadlines.claimDue(m, now, this.batchSize);
      if (due.length === 0) return [];
      await this.deadlines.markOverdue(
        m,
        due.map((d) => d.id),
        now,
      );
      await this.outbox.append(
        m,
        due.map((d) => ({
          type: 'escalation.deadline.overdue.v1' as const,
          aggregateType: d.caseId ? 'case' : d.kind,
          aggregateId: d.caseId ?? d.subjectId,
          data: {
            deadlineId: d.id,
            kind: d.kind,
            subjectId: d.subjectId,
            ...(d.caseId ? { caseId: d.caseId } : {}),
            region: d.region,
            notifyRoles: d.notifyRoles,
            dueAt: new Date(d.dueAt!).toISOString(),
            firedAt: now.toISOString(),
          },
        })),
      );
      return due;
    });
  }
}
