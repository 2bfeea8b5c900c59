import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventData, EventEnvelope } from '@aftersales/contracts';
import { CasesService } from './cases.service';
import { CaseUpstreamLog } from './case-upstream-log.service';

/**
 * Opens a case for every service request intake records; logs what intake and escalation report about cases.
 * (`escalation.vendor-case.required.v1` is logged by the field module, which owns vendor cases.)
 */
@Controller()
export class CaseIntakeHandler {
  constructor(
    private readonly cases: CasesService,
    private readonly upstream: CaseUpstreamLog,
  ) {}

  @EventPattern('intake.request.received.v1')
  async onRequestReceived(@Payload() event: EventEnvelope<EventData<'intake.request.received.v1'>>): Promise<void> {
    await this.cases.openFromRequest(event);
  }

  @EventPattern('intake.request.linked.v1')
  async onRequestLinked(@Payload() event: EventEnvelope<EventData<'intake.request.linked.v1'>>): Promise<void> {
    await this.upstream.repeatCall(event);
  }

  @EventPattern('intake.email.reply-received.v1')
  async onEmailReply(@Payload() event: EventEnvelope<EventData<'intake.email.reply-received.v1'>>): Promise<void> {
    await this.upstream.emailReply(event);
  }

  @EventPattern('escalation.rung.reached.v1')
  async onRungReached(@Payload() event: EventEnvelope<EventData<'escalation.rung.reached.v1'>>): Promise<void> {
    await this.upstream.rungReached(event);
  }
}
