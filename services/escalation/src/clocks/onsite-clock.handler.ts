import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventData, EventEnvelope } from '@aftersales/contracts';
import { SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { EntityManager } from 'typeorm';
import { CalendarStore } from '../policies/calendar-store';
import { PolicyStore } from '../policies/policy-store';
import { CLOCK_COLUMNS, ClockPlans, ClockRow } from './clock-plans';
import { startClock, startedEvents } from './clock-starter.handler';
import { isLadderRow, RESOLUTION, rowsMetBy } from './clock-targets';
import { SlaClock } from './sla-clock.entity';
import { ClockFiringLoop } from './clock-firing.loop';
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
export class OnsiteClock {
  constructor(
    @Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime,
    private readonly firing: ClockFiringLoop,
    private readonly policies: PolicyStore,
    private readonly calendars: CalendarStore,
    private readonly plans: ClockPlans,
  ) {}

  @EventPattern('case.visit.updated.v1')
  async onVisit(@Payload() event: EventEnvelope<EventData<'case.visit.updated.v1'>>): Promise<void> {
    const v = event.data;
    const s = this.rt.config.database.schema;
    await this.rt.inbox.handleOnce('escalation.onsite-clock', event, async (m) => {
      const clocks: Array<ClockRow & { stop_reason: string | null }> = await m.query(
        `SELECT ${CLOCK_COLUMNS}, stop_reason FROM "${s}".sla_clocks
          WHERE case_id = $1 AND episode = (SELECT max(episode) FROM "${s}".sla_clocks WHERE case_id = $1) FOR UPDATE`,
        [v.caseId],
      );
      const ladder = clocks.find((k) => isLadderRow(k.target));
      if (!ladder) return;
      const onsiteRows = rowsMetBy('onsite');
      // a dispatch needs an open case; an update of an earlier visit does not start a clock on a resolved one
      const resolved = clocks.some((k) => k.stop_reason !== null && RESOLUTION.has(k.stop_reason));
      if (!resolved && !clocks.some((k) => onsiteRows.includes(k.target))) await this.start(m, s, ladder, clocks, event);
      if (v.arrivedAt) await stopMetClocks(m, s, v.caseId, onsiteRows, new Date(v.arrivedAt), 'arrived', this.firing);
    });
  }

  /** The on-site clock of a case dispatched later, when its policy has an on-site target. */
  private async start(m: EntityManager, s: string, ladder: ClockRow, episode: ClockRow[], cause: EventEnvelope): Promise<void> {
    const policy = await this.policies.version(ladder.policy_id ?? 'ladder-b', ladder.policy_version ?? 1, m);
    if (policy.severities[ladder.severity]?.targets.onsite === undefined) return;
    const calendar = await this.calendars.get(ladder.calendar_id, m);
    const row = await m.findOneByOrFail(SlaClock, { id: ladder.id });
    const clock = await startClock(m, policy, calendar, row, 'onsite');
    // the case's own record of its waits, and what its clocks had of them before case_waits existed (1700000000004)
    await m.query(
      `INSERT INTO "${s}".clock_pauses (clock_id, from_at, to_at, reason)
       SELECT DISTINCT ON (from_at) $1::uuid, from_at, to_at, reason FROM (
         SELECT from_at, to_at, reason FROM "${s}".case_waits WHERE case_id = $2 AND episode = $3
         UNION ALL
         SELECT from_at, to_at, reason FROM "${s}".clock_pauses WHERE clock_id = ANY($4::uuid[])
       ) w ORDER BY from_at, to_at DESC NULLS FIRST`,
      [clock.id, ladder.case_id, ladder.episode, episode.map((k) => k.id)],
    );
    const onsite: ClockRow = { ...ladder, id: clock.id, target: 'onsite', state: 'running', paused_since: null, stopped_at: null };
    // next_due_at and paused_since as the inherited waits make them
    await this.plans.replan(m, s, [onsite], new Date());
    // due_at is the breach as planned at the start, past the waits known then (while one is open, as if it ended now)
    const pauses = (await this.plans.pausesOf(m, s, [clock.id])).get(clock.id) ?? [];
    const closed = pauses.map((p) => ({ ...p, to: p.to ?? new Date(Math.max(Date.now(), p.from.getTime())) }));
    const breachAt = (await this.plans.plan(m, onsite, closed, new Date())).targets.find((t) => t.kind === 'onsite')?.breachAt;
    if (breachAt && breachAt.getTime() !== clock.dueAt?.getTime()) {
      clock.dueAt = breachAt;
      await m.query(`UPDATE "${s}".sla_clocks SET due_at = $2 WHERE id = $1`, [clock.id, breachAt]);
    }
    await this.rt.outbox.append(m, startedEvents([clock], cause));
  }
}
