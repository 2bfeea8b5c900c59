import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventData, EventEnvelope } from '@aftersales/contracts';
import { CasesService } from './cases.service';

/** Opens a case for every service request intake records. */
@Controller()
export class CaseIntakeHandler {
  constructor(private readonly cases: CasesService) {}

  @EventPattern('intake.request.received.v1')
  async onRequestReceived(@Payload() event: EventEnvelope<EventData<'intake.request.received.v1'>>): Promise<void> {
    await this.cases.openFromRequest(event);
  }
}
