import { Controller } from '@nestjs/common';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
import { Clock } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { DeadlineKind, OVERDUE_ROLES } from '../domain/deadline-policy';
import { DeadlineMetrics } from './deadline-metrics';
import { DeadlinesRepository } from './deadlines.repository';

interface Task {
  kind: DeadlineKind;
  subjectId: string;
  caseId: string | null;
  region: string;
}

/**
 * Starts and stops the deadlines other services hand over: a survey callback (requested → closed),
 * a purchase plan's stock-in (drafted → stocked in) and a faulty part owed back (expected → received
 * at a depot). Each task has one deadline; a redelivery or a task done before its request arrived
 * changes nothing.
 */
@Controller()
export class DeadlineEvents {
  constructor(
    private readonly deadlines: DeadlinesRepository,
    private readonly metrics: DeadlineMetrics,
    private readonly clock: Clock,
  ) {}

  @OnEvent('survey.callback.requested.v1', { consumer: 'escalation.deadline-callback-requested' })
  async onCallbackRequested(e: Envelope<'survey.callback.requested.v1'>, tx: HandlerContext): Promise<void> {
    const d = e.data;
    await this.start({ kind: 'survey-callback', subjectId: d.callbackId, caseId: d.caseId, region: d.region }, d.dueAt, tx);
  }

  @OnEvent('survey.callback.closed.v1', { consumer: 'escalation.deadline-callback-closed' })
  async onCallbackClosed(e: Envelope<'survey.callback.closed.v1'>, tx: HandlerContext): Promise<void> {
    const d = e.data;
    await this.stop({ kind: 'survey-callback', subjectId: d.callbackId, caseId: d.caseId, region: d.region }, d.closedAt, tx);
  }

  @OnEvent('spares.purchase-plan.drafted.v1', { consumer: 'escalation.deadline-plan-drafted' })
  async onPlanDrafted(e: Envelope<'spares.purchase-plan.drafted.v1'>, tx: HandlerContext): Promise<void> {
    const d = e.data;
    await this.start({ kind: 'purchase-plan-stock-in', subjectId: d.planId, caseId: null, region: d.region }, d.dueAt, tx);
  }

  @OnEvent('spares.purchase-plan.stocked-in.v1', { consumer: 'escalation.deadline-plan-stocked-in' })
  async onPlanStockedIn(e: Envelope<'spares.purchase-plan.stocked-in.v1'>, tx: HandlerContext): Promise<void> {
    const d = e.data;
    await this.stop({ kind: 'purchase-plan-stock-in', subjectId: d.planId, caseId: null, region: d.region }, d.stockedInAt, tx);
  }

  @OnEvent('spares.return.expected.v1', { consumer: 'escalation.deadline-return-expected' })
  async onReturnExpected(e: Envelope<'spares.return.expected.v1'>, tx: HandlerContext): Promise<void> {
    const d = e.data;
    await this.start({ kind: 'defective-return', subjectId: d.returnId, caseId: d.caseId ?? null, region: d.region }, d.dueAt, tx);
  }

  @OnEvent('spares.return.received.v1', { consumer: 'escalation.deadline-return-received' })
  async onReturnReceived(e: Envelope<'spares.return.received.v1'>, tx: HandlerContext): Promise<void> {
    const d = e.data;
    await this.stop({ kind: 'defective-return', subjectId: d.returnId, caseId: d.caseId ?? null, region: d.region }, d.at, tx);
  }

  private async start(t: Task, dueAt: string, { manager, afterCommit }: HandlerContext): Promise<void> {
    const recorded = await this.deadlines.open(manager, {
      id: randomUUID(),
      ...t,
      dueAt: new Date(dueAt),
      notifyRoles: [...OVERDUE_ROLES[t.kind]],
      recordedAt: this.clock.now(),
    });
    if (recorded) afterCommit(() => this.metrics.count(t.kind, 'recorded'));
  }

  private async stop(t: Task, doneAt: string, { manager, afterCommit }: HandlerContext): Promise<void> {
    const before = await this.deadlines.meet(manager, { id: randomUUID(), ...t }, new Date(doneAt));
    if (before) afterCommit(() => this.metrics.count(t.kind, 'met'));
  }
}
