import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventData, EventEnvelope } from '@aftersales/contracts';
import { SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { rowsMetBy } from './clock-targets';
import { ClockFiringLoop } from './clock-firing.loop';
import { stopMetClocks } from './target-met';

/**
 * The case's diagnosis (`case.diagnosed.v1`, once per episode) meets the diagnosis target: the
 * running clocks of the current episode that measure it — ladder B's own clock (`ladder:diagnosis`,
 * its rungs stop there) or a separate `diagnosis` clock — stop at the diagnosis's time
 * (`stop_reason = 'diagnosed'`). The clocks of other targets run on.
 */
@Controller()
export class DiagnosisClocks {
  constructor(
    @Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime,
    private readonly firing: ClockFiringLoop,
  ) {}

  @EventPattern('case.diagnosed.v1')
  async onDiagnosed(@Payload() event: EventEnvelope<EventData<'case.diagnosed.v1'>>): Promise<void> {
    const d = event.data;
    const s = this.rt.config.database.schema;
    await this.rt.inbox.handleOnce('escalation.diagnosis', event, async (m) => {
      await stopMetClocks(m, s, d.caseId, rowsMetBy('diagnosis'), new Date(d.at), 'diagnosed', this.firing);
    });
  }
}
