import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Clock, PeriodicSweep, SERVICE_SETTINGS } from '@aftersales/platform';
import { IntakeSettings } from '../intake.config';
import { DataSource } from 'typeorm';
import { Outbox } from '@aftersales/messaging';
import { IntakeMetrics } from './intake-metrics';

interface OverdueRow {
  id: string;
  region: string;
  customer_id: string;
  severity: 'P1' | 'P2' | 'P3' | 'P4';
  received_at: Date;
  handoff_due_at: Date;
}

/**
 * Seed 002: a request must reach a hotline engineer within 15 minutes. Every sweep flags the
 * requests past their hand-off time that no engineer has taken, once each
 * (`intake.request.handoff-overdue.v1`). Rows are claimed `FOR UPDATE SKIP LOCKED`, so replicas
 * share the work and never flag the same request twice.
 */
@Injectable()
export class HandoffWatch extends PeriodicSweep implements OnModuleInit, OnModuleDestroy {
  readonly batchSize = 200;

  constructor(
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly metrics: IntakeMetrics,
    @Inject(SERVICE_SETTINGS) settings: IntakeSettings,
  ) {
    super('hand-off sweep', settings.INTAKE_HANDOFF_SWEEP_MS, new Logger('HandoffWatch')); // 0 turns the timer off (tests sweep by hand)
  }

  /** Flags what is overdue now (by clock); returns the ids flagged. */
  async sweep(): Promise<string[]> {
    const flagged: string[] = [];
    for (;;) {
      const batch = await this.sweepBatch();
      flagged.push(...batch);
      if (batch.length < this.batchSize) return flagged;
    }
  }

  private async sweepBatch(): Promise<string[]> {
    let committed: OverdueRow[] = [];
    const now = this.clock.now();
    const s = this.outbox.schema;
    const flagged = await this.dataSource.transaction(async (m) => {
      const rows: OverdueRow[] = await m.query(
        `SELECT id, region, customer_id, severity, received_at, handoff_due_at
           FROM "${s}".service_requests
          WHERE handoff_due_at <= $1 AND taken_at IS NULL AND handoff_overdue_at IS NULL
            AND case_status IS DISTINCT FROM 'closed'
          ORDER BY handoff_due_at
          LIMIT $2
          FOR UPDATE SKIP LOCKED`,
        [now, this.batchSize],
      );
      if (!rows.length) return [];
      const ids = rows.map((r) => r.id);
      committed = rows;
      await m.query(`UPDATE "${s}".service_requests SET handoff_overdue_at = $2 WHERE id = ANY($1::uuid[])`, [ids, now]);
      await this.outbox.append(
        m,
        rows.map((r) => ({
          type: 'intake.request.handoff-overdue.v1' as const,
          aggregateType: 'service-request',
          aggregateId: r.id,
          data: {
            requestId: r.id,
            region: r.region,
            customerId: r.customer_id,
            severity: r.severity,
            receivedAt: new Date(r.received_at).toISOString(),
            overdueAt: new Date(r.handoff_due_at).toISOString(),
          },
        })),
      );
      return ids;
    });
    this.metrics.handoffsOverdue(committed); // counted once the flags committed
    return flagged;
  }
}
