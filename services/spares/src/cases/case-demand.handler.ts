import { Controller } from '@nestjs/common';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
import { CaseDemandRepository, PART_DEADLINE_TARGETS } from './case-demand.repository';

/** Remembers each case's region, severity, customer, unit and warranty, which part requests and repairs need. */
@Controller()
export class CaseDemandRecorder {
  constructor(private readonly cases: CaseDemandRepository) {}

  @OnEvent('case.opened.v1', { consumer: 'spares.record-case' })
  async onCaseOpened(e: Envelope<'case.opened.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const c = e.data;
    await this.cases.record(m, {
      caseId: c.caseId,
      caseNumber: c.caseNumber,
      region: c.region,
      severity: c.severity,
      customerId: c.customerId,
      serialNumber: c.serialNumber ?? null,
      productModel: c.productModel ?? null,
      warranty: c.warranty,
      contractId: c.contract?.contractId ?? null,
      warrantyEndsOn: c.contract?.warrantyEndsOn ?? null,
      openedAt: new Date(c.openedAt),
    });
  }

  /** The case's SLA policy, as its clocks started: needed-by of its parts follows the on-site or resolution deadline. */
  @OnEvent('escalation.clock.started.v1', { consumer: 'spares.case-deadline' })
  async onClockStarted(e: Envelope<'escalation.clock.started.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const c = e.data;
    if (PART_DEADLINE_TARGETS.includes(c.target)) await this.cases.recordDeadline(m, c.caseId, c.target, new Date(c.dueAt));
  }
}
