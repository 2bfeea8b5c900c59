import { Controller } from '@nestjs/common';
import { EventEnvelope } from '@aftersales/contracts';
import { Envelope, HandlerContext, OnEvent, OutboxEvent } from '@aftersales/messaging';
import { EntityManager } from 'typeorm';
import { ClockRow, downtimeClockOf, downtimeOf, pauseReasonOf, RESOLUTION, rowTargetsAtReopen } from '../domain';
import { ClockHandler } from './clock-handler';
import { startClock, startedEvents } from './clock-starter.handler';

/**
 * Keeps a case's clocks in step with its lifecycle (`case.status.changed.v1`, in order per case):
 * waiting-* opens a pause of every running clock, leaving it closes the pause, resolution stops
 * the clocks, a reopen starts the next episode. The case's waits are also kept apart from its
 * clocks (`case_waits`), for a clock that starts later. Times come from the event, not from when
 * it is processed, so a redelivered or late event gives the same clocks.
 */
@Controller()
export class ClockLifecycle extends ClockHandler {
  @OnEvent('case.status.changed.v1', { consumer: 'escalation.clock-lifecycle' })
  async onStatusChanged(event: Envelope<'case.status.changed.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const c = event.data;
    const at = new Date(c.at);
    const clocks = await this.clocks.lockCurrentEpisode(m, c.caseId);
    if (clocks.length === 0) return; // no clock (yet): case.opened is on the same topic and key, so it came first or never
    const running = clocks.filter((k) => k.state === 'running');
    const ids = running.map((k) => k.id);
    const events: OutboxEvent[] = [];
    const reason = pauseReasonOf(c.to);
    // the episode's waits, whichever clocks run (the ladder's may have stopped at the diagnosis);
    // any change of status ends the current wait (a switch from one wait to another starts a new one)
    await this.clocks.recordCaseWait(m, c.caseId, clocks[0]!.episode, at, reason); // not empty: returned above
    await this.clocks.recordClockPause(m, ids, at, reason);
    if (RESOLUTION.has(c.to) && running.length) {
      await this.firing.fireDueBy(m, running, at); // a rung reached before the resolution is still told, once
      await this.clocks.stop(m, ids, at, c.to);
      events.push(...(await this.warrantyExtension(m, running, at, event)));
    } else if (c.to === 'reopened' && running.length === 0 && new Date(clocks[0]!.started_at) < at) {
      // (a reopen at or before the episode's start is one this episode already began with)
      events.push(...(await this.nextEpisode(m, clocks, at, event)));
    } else {
      await this.plans.replan(m, running, this.clock.now());
    }
    if (events.length) await this.outbox.append(m, events);
  }

  /**
   * A reopened case gets fresh clocks counted from the reopen (`rowTargetsAtReopen`), under the
   * policy version, calendar and contract of the episode before — its newest version: a re-base
   * moves only the clocks still running, and may leave an episode no ladder clock at all (its new
   * target met). A case started before migration 1700000000004 (a legacy `ladder` clock) gets the
   * clocks of today's model too.
   */
  private async nextEpisode(m: EntityManager, previous: ClockRow[], at: Date, cause: EventEnvelope): Promise<OutboxEvent[]> {
    const newest = previous.reduce((a, k) => ((k.policy_version ?? 0) > (a.policy_version ?? 0) ? k : a));
    const row = await this.clocks.get(m, newest.id);
    const policy = await this.policies.version(row.policy_id ?? 'ladder-b', row.policy_version ?? 1, m);
    const calendar = await this.calendars.get(row.calendar_id, m);
    const base = { ...row, episode: row.episode + 1, started_at: at };
    const started: ClockRow[] = [];
    for (const target of rowTargetsAtReopen(policy.severities[row.severity], { severity: row.severity, contractId: row.contract_id })) {
      started.push(await startClock(m, this.clocks, policy, calendar, base, target));
    }
    return startedEvents(started, cause);
  }

  /**
   * Seed 003: supplier-caused downtime of a P1 case under a contract extends the warranty by the
   * days down (24-hour days, started days rounded up). Downtime = the wall time from the report
   * (or reopen) to resolution minus the time spent waiting on the customer, measured on the
   * downtime clock: it runs to resolution whichever targets were met before (the ladder's clock
   * may stop at the diagnosis), and takes every wait.
   */
  private async warrantyExtension(m: EntityManager, stopped: ClockRow[], at: Date, cause: EventEnvelope): Promise<OutboxEvent[]> {
    const clock = downtimeClockOf(stopped);
    if (!clock) return [];
    const pauses = (await this.clocks.pausesOf(m, [clock.id])).get(clock.id) ?? [];
    const start = new Date(clock.started_at);
    const down = downtimeOf(start, at, pauses);
    if (down.warrantyDays === 0) return [];
    return [
      {
        type: 'escalation.warranty.extension-earned.v1',
        aggregateType: 'case',
        aggregateId: clock.case_id,
        cause,
        data: {
          caseId: clock.case_id,
          clockId: clock.id,
          contractId: clock.contract_id as string,
          downtimeMinutes: down.minutes,
          days: down.warrantyDays,
          from: start.toISOString(),
          to: at.toISOString(),
        },
      },
    ];
  }
}
