import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PeriodicSweep, SERVICE_SETTINGS } from '@aftersales/platform';
import { CaseSettings } from '../case.config';
import { Case } from '../cases/case.entity';
import { AssignmentService } from './assignment.service';
import { DataSource } from 'typeorm';
import { Outbox } from '@aftersales/messaging';

/**
 * A case the policy could not place when it opened (every fitting engineer at full load) waits
 * triaged without an owner; this sweep offers it to the policy again, oldest first, as loads drop
 * (cases resolved, engineers added or given more room). Each case in its own transaction under
 * the case row lock (`SKIP LOCKED`: a case someone is assigning by hand is left alone). Only the
 * first failure is logged on the case, not every retry.
 */
@Injectable()
export class AssignmentRetry extends PeriodicSweep implements OnModuleInit, OnModuleDestroy {
  readonly batchSize = 50;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly assignment: AssignmentService,
    @Inject(SERVICE_SETTINGS) settings: CaseSettings,
  ) {
    super('assignment retry', settings.CASE_ASSIGN_RETRY_MS, new Logger('AssignmentRetry')); // 0 turns the timer off
  }

  /** Offers every waiting case to the policy once; returns the ids now assigned. */
  async sweep(): Promise<string[]> {
    const s = this.outbox.schema;
    const waiting: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM "${s}".cases WHERE status IN ('triaged', 'reopened') AND assignee_id IS NULL ORDER BY opened_at LIMIT $1`,
      [this.batchSize],
    );
    const assigned: string[] = [];
    for (const { id } of waiting) {
      const done = await this.dataSource.transaction(async (m) => {
        const c = await m.findOne(Case, { where: { id }, lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' } });
        if (!c || c.assigneeId || !['triaged', 'reopened'].includes(c.status)) return false;
        const after = await this.assignment.autoAssign(m, c, undefined, { logFailure: false });
        return !!after.assigneeId;
      });
      if (done) assigned.push(id);
    }
    return assigned;
  }
}
