import { Controller } from '@nestjs/common';
import { formatLocalDate, parseLocalDate } from '@aftersales/calendar';
import { Clock } from '@aftersales/platform';
import { Contract } from './registry.entities';
import { Envelope, HandlerContext, OnEvent, Outbox } from '@aftersales/messaging';

/** `YYYY-MM-DD` plus whole days. */
export function addDays(date: string, days: number): string {
  return formatLocalDate(parseLocalDate(date)! + days);
}

/**
 * Seed 003: P1 downtime caused by the supplier extends the warranty by the days escalation counted.
 * The extension runs from the contract's warranty end (else the end of the contract) and is
 * announced like any other warranty change, so open cases pick up the new end.
 */
@Controller()
export class WarrantyExtensionHandler {
  constructor(
    private readonly clock: Clock,
    private readonly outbox: Outbox,
  ) {}

  @OnEvent('escalation.warranty.extension-earned.v1', { consumer: 'intake.registry.warranty-extension' })
  async onExtensionEarned(event: Envelope<'escalation.warranty.extension-earned.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const e = event.data;
    const contract = await m.findOne(Contract, { where: { id: e.contractId }, lock: { mode: 'pessimistic_write' } });
    if (!contract) return; // a contract of another region's registry
    const warrantyEndsOn = addDays(contract.warrantyEndsOn ?? contract.endsOn, e.days);
    await m.update(Contract, { id: contract.id }, { warrantyEndsOn, updatedAt: this.clock.now() });
    await this.outbox.append(m, [
      {
        type: 'intake.warranty.changed.v1',
        aggregateType: 'contract',
        aggregateId: contract.id,
        cause: { id: event.id, correlationId: event.correlationId },
        data: {
          contractId: contract.id,
          warrantyEndsOn,
          reason: `extended ${e.days} days for ${e.downtimeMinutes} minutes of P1 downtime on case ${e.caseId}`,
        },
      },
    ]);
  }
}
