import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventData, EventEnvelope } from '@aftersales/contracts';
import { SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { nextDueEvent, planRungs } from '../domain';
import { ALWAYS_OPEN, CalendarStore } from '../policies/calendar-store';
import { PolicyStore } from '../policies/policy-store';
import { SlaClock } from './sla-clock.entity';

/**
 * Target label of the case's ladder clock row. The walking skeleton called it `response` and
 * consumers (and `escalation.clock.started.v1`) know it by that name; its due time is the breach
 * of the policy ladder's own target (ladder B: diagnosis, ladder A: resolution).
 */
const CLOCK_TARGET = 'response';

/**
 * Starts a case's clock when the case opens: under the contract's policy (latest version; the
 * clock keeps it), on the contract's calendar (business hours, or around the clock for 7x24).
 */
@Controller()
export class ClockStarter {
  constructor(
    @Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime,
    private readonly policies: PolicyStore,
    private readonly calendars: CalendarStore,
  ) {}

  @EventPattern('case.opened.v1')
  async onCaseOpened(@Payload() event: EventEnvelope<EventData<'case.opened.v1'>>): Promise<void> {
    const c = event.data;
    await this.rt.inbox.handleOnce('escalation.start-clock', event, async (m) => {
      const startedAt = new Date(c.openedAt);
      const policy = await this.policies.forNewClock(c.contract?.policyId, c.region, m);
      const calendarId = c.contract?.coverage === 'business-hours' && c.contract.calendarId ? c.contract.calendarId : ALWAYS_OPEN.id;
      const calendar = await this.calendars.get(calendarId, m);
      const plan = planRungs({ policy, severity: c.severity, calendar, startedAt, now: startedAt });
      const ladderTarget = plan.targets.find((t) => t.kind === plan.ladderTarget);
      const dueAt = ladderTarget?.breachAt ?? plan.rungs[0]?.dueAt;
      if (!dueAt) throw new Error(`policy ${policy.id}@${policy.version} gives ${c.severity} no due time`);
      const next = nextDueEvent(plan, []);
      const clock = m.create(SlaClock, {
        id: randomUUID(),
        caseId: c.caseId,
        region: c.region,
        severity: c.severity,
        target: CLOCK_TARGET,
        episode: 1,
        state: 'running',
        startedAt,
        dueAt,
        nextDueAt: next?.at ?? null,
        policyId: policy.id,
        policyVersion: policy.version,
        calendarId,
        contractId: c.contract?.contractId ?? null,
        coverage: c.contract?.coverage ?? null,
      });
      await m.insert(SlaClock, clock);
      await this.rt.outbox.append(m, [
        {
          type: 'escalation.clock.started.v1',
          aggregateType: 'case',
          aggregateId: c.caseId,
          cause: event,
          data: {
            clockId: clock.id,
            caseId: c.caseId,
            region: c.region,
            severity: c.severity,
            target: clock.target,
            startedAt: startedAt.toISOString(),
            dueAt: dueAt.toISOString(),
          },
        },
      ]);
    });
  }
}
