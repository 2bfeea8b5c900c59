import { Controller } from '@nestjs/common';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
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

  @OnEvent('intake.request.received.v1', { consumer: 'case.open-from-request' })
  async onRequestReceived(event: Envelope<'intake.request.received.v1'>, tx: HandlerContext): Promise<void> {
    await this.cases.openFromRequest(event, tx);
  }

  @OnEvent('intake.request.linked.v1', { consumer: 'case.repeat-call' })
  async onRequestLinked(event: Envelope<'intake.request.linked.v1'>, { manager }: HandlerContext): Promise<void> {
    await this.upstream.repeatCall(event, manager);
  }

  @OnEvent('intake.email.reply-received.v1', { consumer: 'case.email-reply' })
  async onEmailReply(event: Envelope<'intake.email.reply-received.v1'>, { manager }: HandlerContext): Promise<void> {
    await this.upstream.emailReply(event, manager);
  }

  @OnEvent('escalation.rung.reached.v1', { consumer: 'case.escalation-rung' })
  async onRungReached(event: Envelope<'escalation.rung.reached.v1'>, { manager }: HandlerContext): Promise<void> {
    await this.upstream.rungReached(event, manager);
  }
}
