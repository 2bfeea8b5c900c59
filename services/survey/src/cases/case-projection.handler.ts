import { Controller } from '@nestjs/common';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
import { applyAssignment, applyStatus } from '../domain/ownership';
import { CallbacksRepository } from '../callbacks/callbacks.repository';
import { SurveyCasesRepository } from './survey-cases.repository';

/**
 * Survey's own view of the case lifecycle: who the case is, who owns it and who it was escalated
 * to, and when it closed (a reopen clears that). Events of a case the projection never saw opened
 * (opened before survey subscribed, or another region's) change nothing.
 */
@Controller()
export class CaseProjectionHandler {
  constructor(
    private readonly cases: SurveyCasesRepository,
    private readonly callbacks: CallbacksRepository,
  ) {}

  @OnEvent('case.opened.v1', { consumer: 'survey.record-case' })
  async onOpened(e: Envelope<'case.opened.v1'>, { manager: m }: HandlerContext): Promise<void> {
    await this.cases.insertOpened(m, e.data);
    // a complaint opened from a callback carries the callback id as its request id: close the loop
    if (e.data.caseType === 'complaint') await this.callbacks.linkComplaint(m, e.data.requestId, e.data.caseId, e.data.caseNumber);
  }

  @OnEvent('case.assigned.v1', { consumer: 'survey.case-assigned' })
  async onAssigned(e: Envelope<'case.assigned.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const c = await this.cases.lock(m, e.data.caseId);
    if (!c) return;
    const a = e.data;
    await this.cases.saveOwnership(
      m,
      c.caseId,
      applyAssignment(c, { engineerId: a.engineerId, engineerName: a.engineerName, tier: a.tier }),
    );
  }

  @OnEvent('case.status.changed.v1', { consumer: 'survey.case-status' })
  async onStatusChanged(e: Envelope<'case.status.changed.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const c = await this.cases.lock(m, e.data.caseId);
    if (!c) return;
    const after = applyStatus(c, e.data.to);
    if (after !== c) await this.cases.saveOwnership(m, c.caseId, after);
    await this.cases.saveStatus(m, c.caseId, e.data.to, e.data.at);
  }
}
