import { Controller } from '@nestjs/common';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
import { Clock } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { OVERDUE_ROLES } from '../domain/deadline-policy';
import { DeadlineMetrics } from './deadline-metrics';
import { DeadlinesRepository } from './deadlines.repository';

/**
 * Inspections due and overdue are SLA targets like any other (domain §9): an inspection work order
 * opened from a contract's plan must have its report signed by `dueBy`. Held as a task deadline
 * of kind `inspection` (a row, a metric by kind, `escalation.deadline.overdue.v1` once when it passes).
 */
@Controller()
export class InspectionDeadlines {
  constructor(
    private readonly deadlines: DeadlinesRepository,
    private readonly metrics: DeadlineMetrics,
    private readonly clock: Clock,
  ) {}

  @OnEvent('case.inspection.opened.v1', { consumer: 'escalation.deadline-inspection-opened' })
  async onOpened(e: Envelope<'case.inspection.opened.v1'>, { manager, afterCommit }: HandlerContext): Promise<void> {
    const d = e.data;
    const recorded = await this.deadlines.open(manager, {
      id: randomUUID(),
      kind: 'inspection',
      subjectId: d.inspectionId,
      caseId: d.caseId,
      region: d.region,
      dueAt: new Date(d.dueBy),
      notifyRoles: [...OVERDUE_ROLES.inspection],
      recordedAt: this.clock.now(),
    });
    if (recorded) afterCommit(() => this.metrics.count('inspection', 'recorded'));
  }

  @OnEvent('case.inspection.completed.v1', { consumer: 'escalation.deadline-inspection-completed' })
  async onCompleted(e: Envelope<'case.inspection.completed.v1'>, { manager, afterCommit }: HandlerContext): Promise<void> {
    const d = e.data;
    const task = { id: randomUUID(), kind: 'inspection' as const, subjectId: d.inspectionId, caseId: d.caseId, region: d.region };
    const before = await this.deadlines.meet(manager, task, new Date(d.signedAt));
    if (before) afterCommit(() => this.metrics.count('inspection', 'met'));
  }
}
