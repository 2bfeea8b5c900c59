import { Controller } from '@nestjs/common';
import { EventEnvelope } from '@aftersales/contracts';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
import { EntityManager } from 'typeorm';
import { ClockRow, isLadderRow, RESOLUTION, rowsMetBy } from '../domain';
import { ClockHandler } from './clock-handler';
import { startedEvents } from './clock-starter.handler';
import { startLateClock } from './late-clock';
import { stopMetClocks } from './target-met';

/**
 * The on-site target follows the visits: the engineer's arrival stops it (target met, nothing
 * more fires); a dispatch on a case that was not on-site from the start starts it, counted from
 * the report like every target, so a late dispatch may already be in breach. Counted from the
 * report, it also takes the episode's waits so far (`case_waits`; an open one too: a dispatch
 * during a wait on the customer starts it paused) — whether or not another clock ran through them
 * (ladder B's stops at the diagnosis); later waits reach it through the lifecycle handler.
 */
@Controller()
export class OnsiteClock extends ClockHandler {
  @OnEvent('case.visit.updated.v1', { consumer: 'escalation.onsite-clock' })
  async onVisit(event: Envelope<'case.visit.updated.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const v = event.data;
    const clocks = await this.clocks.lockCurrentEpisode(m, v.caseId);
    const ladder = clocks.find((k) => isLadderRow(k.target));
    if (!ladder) return;
    await this.clocks.recordMilestone(m, v.caseId, 'dispatched', new Date(event.time));
    const onsiteRows = rowsMetBy('onsite');
    // a dispatch needs an open case; an update of an earlier visit does not start a clock on a resolved one
    const resolved = clocks.some((k) => k.stop_reason !== null && RESOLUTION.has(k.stop_reason));
    if (!resolved && !clocks.some((k) => onsiteRows.includes(k.target))) await this.start(m, ladder, clocks, event);
    if (v.arrivedAt) await stopMetClocks(m, this.clocks, v.caseId, onsiteRows, new Date(v.arrivedAt), 'arrived', this.firing);
  }

  /** The on-site clock of a case dispatched later, when its policy has an on-site target. */
  private async start(m: EntityManager, ladder: ClockRow, episode: ClockRow[], cause: EventEnvelope): Promise<void> {
    const policy = await this.policies.version(ladder.policy_id ?? 'ladder-b', ladder.policy_version ?? 1, m);
    if (policy.severities[ladder.severity]?.targets.onsite === undefined) return;
    const calendar = await this.calendars.get(ladder.calendar_id, m);
    const clock = await startLateClock(m, this.clocks, this.plans, policy, calendar, ladder, episode, 'onsite', this.clock.now());
    await this.outbox.append(m, startedEvents([clock], cause));
  }
}
