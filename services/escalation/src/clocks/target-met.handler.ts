import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventData, EventEnvelope } from '@aftersales/contracts';
import { SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { FIRST_RESPONSE_TARGETS, rowsMetBy } from './clock-targets';
import { ClockFiringLoop } from './clock-firing.loop';
import { stopMetClocks } from './target-met';
import { MetMilestone } from './case-facts';

/**
 * Case milestones that meet targets: the running clocks of the current episode that measure the
 * target (the ladder's own clock too, if it measures it) stop at the milestone's time and fire
 * nothing more; the clocks of other targets run on.
 */
@Controller()
export class TargetMetClocks {
  constructor(
    @Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime,
    private readonly firing: ClockFiringLoop,
  ) {}

  /** The diagnosis (once per episode) meets the diagnosis target: ladder B's clock (`ladder:diagnosis`) or a separate one. */
  @EventPattern('case.diagnosed.v1')
  async onDiagnosed(@Payload() event: EventEnvelope<EventData<'case.diagnosed.v1'>>): Promise<void> {
    await this.stop('escalation.diagnosis', event, rowsMetBy('diagnosis'), 'diagnosed');
  }

  /** The first response to the customer (once per case) meets the response and e-mail-reply targets. */
  @EventPattern('case.customer-responded.v1')
  async onResponded(@Payload() event: EventEnvelope<EventData<'case.customer-responded.v1'>>): Promise<void> {
    await this.stop('escalation.first-response', event, rowsMetBy(...FIRST_RESPONSE_TARGETS), 'responded');
  }

  private async stop(
    consumer: string,
    event: EventEnvelope<{ caseId: string; at: string }>,
    rowTargets: string[],
    reason: MetMilestone,
  ): Promise<void> {
    const s = this.rt.config.database.schema;
    await this.rt.inbox.handleOnce(consumer, event, (m) =>
      stopMetClocks(m, s, event.data.caseId, rowTargets, new Date(event.data.at), reason, this.firing).then(() => undefined),
    );
  }
}
