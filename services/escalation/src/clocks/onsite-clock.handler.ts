import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventData, EventEnvelope } from '@aftersales/contracts';
import { SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { CalendarStore } from '../policies/calendar-store';
import { PolicyStore } from '../policies/policy-store';
import { CLOCK_COLUMNS, ClockPlans, ClockRow } from './clock-plans';
import { startClock, startedEvent } from './clock-starter.handler';
import { MAIN_CLOCK_TARGET } from './clock-targets';
import { SlaClock } from './sla-clock.entity';

/**
 * The on-site target follows the visits: the engineer's arrival stops it (target met, nothing
 * more fires); a dispatch on a case that was not on-site from the start starts it, counted from
 * the report like every target, so a late dispatch may already be in breach. Counted from the
 * report, it also inherits the main clock's waits so far (an open one too: a dispatch during a
 * wait on the customer starts it paused); later waits reach it through the lifecycle handler.
 */
@Controller()
export class OnsiteClock {
  constructor(
    @Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime,
    private readonly policies: PolicyStore,
    private readonly calendars: CalendarStore,
    private readonly plans: ClockPlans,
  ) {}

  @EventPattern('case.visit.updated.v1')
  async onVisit(@Payload() event: EventEnvelope<EventData<'case.visit.updated.v1'>>): Promise<void> {
    const v = event.data;
    const s = this.rt.config.database.schema;
    await this.rt.inbox.handleOnce('escalation.onsite-clock', event, async (m) => {
      const clocks: ClockRow[] = await m.query(
        `SELECT ${CLOCK_COLUMNS} FROM "${s}".sla_clocks
          WHERE case_id = $1 AND episode = (SELECT max(episode) FROM "${s}".sla_clocks WHERE case_id = $1) FOR UPDATE`,
        [v.caseId],
      );
      const main = clocks.find((k) => k.target === MAIN_CLOCK_TARGET);
      let onsite = clocks.find((k) => k.target === 'onsite');
      if (!main) return;
      if (!onsite && main.state === 'running') {
        const policy = await this.policies.version(main.policy_id ?? 'ladder-b', main.policy_version ?? 1, m);
        if (policy.severities[main.severity]?.targets.onsite === undefined) return;
        const calendar = await this.calendars.get(main.calendar_id, m);
        const row = await m.findOneByOrFail(SlaClock, { id: main.id });
        const clock = await startClock(m, policy, calendar, row, 'onsite');
        await m.query(
          `INSERT INTO "${s}".clock_pauses (clock_id, from_at, to_at, reason)
           SELECT $2, from_at, to_at, reason FROM "${s}".clock_pauses WHERE clock_id = $1`,
          [main.id, clock.id],
        );
        onsite = { ...main, id: clock.id, target: 'onsite' };
        // next_due_at and paused_since as the inherited waits make them
        await this.plans.replan(m, s, [onsite], new Date());
        // due_at is the breach as planned at the start, past the waits known then (while one is open, as if it ended now)
        const pauses = (await this.plans.pausesOf(m, s, [clock.id])).get(clock.id) ?? [];
        const closed = pauses.map((p) => ({ ...p, to: p.to ?? new Date(Math.max(Date.now(), p.from.getTime())) }));
        const breachAt = (await this.plans.plan(m, onsite, closed, new Date())).targets.find((t) => t.kind === 'onsite')?.breachAt;
        if (breachAt && breachAt.getTime() !== clock.dueAt.getTime()) {
          clock.dueAt = breachAt;
          await m.query(`UPDATE "${s}".sla_clocks SET due_at = $2 WHERE id = $1`, [clock.id, breachAt]);
        }
        await this.rt.outbox.append(m, [startedEvent(clock, event)]);
      }
      if (onsite && onsite.state === 'running' && v.arrivedAt) {
        await m.query(
          `UPDATE "${s}".sla_clocks SET state = 'stopped', stopped_at = $2, stop_reason = 'arrived', next_due_at = NULL, paused_since = NULL
            WHERE id = $1`,
          [onsite.id, new Date(v.arrivedAt)],
        );
      }
    });
  }
}
