import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventData, EventEnvelope } from '@aftersales/contracts';
import { SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { FIRST_RESPONSE_TARGETS, rowsMetBy } from './clock-targets';
import { ClockFiringLoop } from './clock-firing.loop';
import { stopMetClocks } from './target-met';

/**
 * The case's first response to the customer (`case.customer-responded.v1`, once per case) meets
 * the response and e-mail-reply targets: their running clocks of the current episode (the ladder's
 * too, if it measures one of them) stop at the response's time and fire nothing more.
 */
@Controller()
export class FirstResponseClocks {
  constructor(
    @Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime,
    private readonly firing: ClockFiringLoop,
  ) {}

  @EventPattern('case.customer-responded.v1')
  async onResponded(@Payload() event: EventEnvelope<EventData<'case.customer-responded.v1'>>): Promise<void> {
    const r = event.data;
    const s = this.rt.config.database.schema;
    await this.rt.inbox.handleOnce('escalation.first-response', event, async (m) => {
      await stopMetClocks(m, s, r.caseId, rowsMetBy(...FIRST_RESPONSE_TARGETS), new Date(r.at), 'responded', this.firing);
    });
  }
}
