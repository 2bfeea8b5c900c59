import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { formatLocalDate, parseLocalDate } from '@aftersales/calendar';
import { EventData, EventEnvelope } from '@aftersales/contracts';
import { SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { Contract } from './registry.entities';

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
  constructor(@Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime) {}

  @EventPattern('escalation.warranty.extension-earned.v1')
  async onExtensionEarned(@Payload() event: EventEnvelope<EventData<'escalation.warranty.extension-earned.v1'>>): Promise<void> {
    const e = event.data;
    await this.rt.inbox.handleOnce('intake.registry.warranty-extension', event, async (m) => {
      const contract = await m.findOne(Contract, { where: { id: e.contractId }, lock: { mode: 'pessimistic_write' } });
      if (!contract) return; // a contract of another region's registry
      const warrantyEndsOn = addDays(contract.warrantyEndsOn ?? contract.endsOn, e.days);
      await m.update(Contract, { id: contract.id }, { warrantyEndsOn, updatedAt: this.rt.clock.now() });
      await this.rt.outbox.append(m, [
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
    });
  }
}
