import { Controller } from '@nestjs/common';
import { Case } from '../cases/case.entity';
import { WorkLog } from './case-core';
import { VendorCase } from './field.entities';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';

const ESCALATION = { subject: 'system:escalation', role: 'system' };

/**
 * Ladder B's "vendor" rung (seed 003): the case must go to the upstream vendor. Only people can open it
 * (the vendor hands out its case number), so the rung lands on the case's internal work log for its owner.
 */
@Controller()
export class VendorCaseRequiredHandler {
  constructor(private readonly workLog: WorkLog) {}

  @OnEvent('escalation.vendor-case.required.v1', { consumer: 'case.field.vendor-case-required' })
  async onVendorCaseRequired(event: Envelope<'escalation.vendor-case.required.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const e = event.data;
    const c = await m.findOneBy(Case, { id: e.caseId });
    if (!c) return; // a case of another region's service, or one this replica never opened
    const open = await m.findOneBy(VendorCase, { caseId: c.id });
    const rung = `escalation policy ${e.policyId} v${e.policyVersion}, rung ${e.rungIndex}, due ${e.dueAt}`;
    await this.workLog.append(m, {
      caseId: c.id,
      kind: 'vendor',
      public: false,
      actor: ESCALATION,
      text: open
        ? `Vendor rung reached (${rung}); vendor case ${open.vendor} ${open.vendorCaseNumber} is already open (${open.vendorStatus})`
        : `Vendor rung reached (${rung}): open a case with the upstream vendor and record its number`,
      data: { clockId: e.clockId, eventKey: e.eventKey, rungIndex: e.rungIndex, vendorCaseId: open?.id ?? null },
    });
  }
}
