import { Controller } from '@nestjs/common';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
import { Clock } from '@aftersales/platform';
import { CaseProjectionRepository } from './case-projection.repository';

/**
 * Keeps the engineer who owns each case (case.assigned.v1), so that `case-owner` reaches that
 * engineer. (The case's number, contact and coverage come from case.opened.v1, recorded by the
 * acknowledgement handler: one event type has one handler per service.)
 */
@Controller()
export class CaseProjectionHandler {
  constructor(
    private readonly cases: CaseProjectionRepository,
    private readonly clock: Clock,
  ) {}

  @OnEvent('case.assigned.v1', { consumer: 'notify.case-owner' })
  async onAssigned(e: Envelope<'case.assigned.v1'>, { manager }: HandlerContext): Promise<void> {
    const a = e.data;
    await this.cases.assigned(
      manager,
      {
        caseId: a.caseId,
        caseNumber: a.caseNumber,
        region: a.region,
        customerId: a.customerId,
        severity: a.severity,
        ownerId: a.engineerId,
        ownerName: a.engineerName,
      },
      this.clock.now(),
    );
  }
}
