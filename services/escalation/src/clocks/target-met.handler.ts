import { Controller } from '@nestjs/common';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
import { FIRST_RESPONSE_TARGETS, MetMilestone, rowsMetBy } from '../domain';
import { ClockFiringLoop } from './clock-firing.loop';
import { ClockRepository } from './clock.repository';
import { stopMetClocks } from './target-met';

/**
 * Case milestones that meet targets: the running clocks of the current episode that measure the
 * target (the ladder's own clock too, if it measures it) stop at the milestone's time and fire
 * nothing more; the clocks of other targets run on.
 */
@Controller()
export class TargetMetClocks {
  constructor(
    private readonly clocks: ClockRepository,
    private readonly firing: ClockFiringLoop,
  ) {}

  /** The diagnosis (once per episode) meets the diagnosis target: ladder B's clock (`ladder:diagnosis`) or a separate one. */
  @OnEvent('case.diagnosed.v1', { consumer: 'escalation.diagnosis' })
  async onDiagnosed(event: Envelope<'case.diagnosed.v1'>, tx: HandlerContext): Promise<void> {
    await this.stop(tx, event.data, rowsMetBy('diagnosis'), 'diagnosed');
  }

  /** The first response to the customer (once per case) meets the response and e-mail-reply targets. */
  @OnEvent('case.customer-responded.v1', { consumer: 'escalation.first-response' })
  async onResponded(event: Envelope<'case.customer-responded.v1'>, tx: HandlerContext): Promise<void> {
    await this.stop(tx, event.data, rowsMetBy(...FIRST_RESPONSE_TARGETS), 'responded');
  }

  private async stop({ manager }: HandlerContext, at: { caseId: string; at: string }, rowTargets: string[], reason: MetMilestone) {
    await stopMetClocks(manager, this.clocks, at.caseId, rowTargets, new Date(at.at), reason, this.firing);
  }
}
