import { Controller } from '@nestjs/common';
import { EventEnvelope } from '@aftersales/contracts';
import { randomUUID } from 'node:crypto';
import { BusinessCalendar } from '@aftersales/calendar';
import { Envelope, HandlerContext, OnEvent, Outbox, OutboxEvent } from '@aftersales/messaging';
import { EntityManager } from 'typeorm';
import { ClockRow, clockFires, DOWNTIME, dueEvents, measuredBy, planRungs, rowTargetsAtOpen, SlaPolicy } from '../domain';
import { ALWAYS_OPEN, CalendarStore } from '../policies/calendar-store';
import { PolicyStore } from '../policies/policy-store';
import { ClockRepository } from './clock.repository';

/**
 * Starts a case's clocks when the case opens: under the contract's policy (latest version; the
 * clocks keep it), on the contract's calendar (business hours, or around the clock for 7x24) —
 * the ladder's clock, one for each other target that applies to the case, and the downtime clock
 * of a P1 under a contract (`rowTargetsAtOpen`).
 */
@Controller()
export class ClockStarter {
  constructor(
    private readonly clocks: ClockRepository,
    private readonly outbox: Outbox,
    private readonly policies: PolicyStore,
    private readonly calendars: CalendarStore,
  ) {}

  @OnEvent('case.opened.v1', { consumer: 'escalation.start-clock' })
  async onCaseOpened(event: Envelope<'case.opened.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const c = event.data;
    const policy = await this.policies.forNewClock(c.contract?.policyId, c.region, m);
    const calendarId = c.contract?.coverage === 'business-hours' && c.contract.calendarId ? c.contract.calendarId : ALWAYS_OPEN.id;
    const calendar = await this.calendars.get(calendarId, m);
    const base: ClockBase = {
      case_id: c.caseId,
      region: c.region,
      severity: c.severity,
      episode: 1,
      started_at: new Date(c.openedAt),
      policy_id: policy.id,
      policy_version: policy.version,
      calendar_id: calendarId,
      contract_id: c.contract?.contractId ?? null,
      coverage: c.contract?.coverage ?? null,
    };
    const terms = { severity: c.severity, contractId: c.contract?.contractId, serviceMode: c.serviceMode, channel: c.channel };
    await this.clocks.recordCaseTerms(m, c.caseId, c.channel, c.serviceMode);
    const started: ClockRow[] = [];
    for (const target of rowTargetsAtOpen(policy.severities[c.severity], terms)) {
      started.push(await startClock(m, this.clocks, policy, calendar, base, target));
    }
    await this.outbox.append(m, startedEvents(started, event));
  }
}

/** What the clocks of an episode share: the case, its start, its policy version, calendar and terms. */
export type ClockBase = Pick<
  ClockRow,
  'case_id' | 'region' | 'severity' | 'episode' | 'started_at' | 'policy_id' | 'policy_version' | 'calendar_id' | 'contract_id' | 'coverage'
>;

/**
 * Inserts a running clock row for `target`; its due time is the breach of the target it measures
 * (the ladder's first rung when the policy has no such target), none for the downtime clock.
 */
export async function startClock(
  m: EntityManager,
  clocks: ClockRepository,
  policy: SlaPolicy,
  calendar: BusinessCalendar,
  base: ClockBase,
  target: string,
): Promise<ClockRow> {
  const plan = planRungs({ policy, severity: base.severity, calendar, startedAt: base.started_at, now: base.started_at });
  const kind = measuredBy(target) ?? plan.ladderTarget;
  const dueAt = target === DOWNTIME ? null : (plan.targets.find((t) => t.kind === kind)?.breachAt ?? plan.rungs[0]?.dueAt);
  if (dueAt === undefined) throw new Error(`policy ${policy.id}@${policy.version} gives ${base.severity} no ${kind} due time`);
  const next = dueEvents(plan).find((e) => clockFires(target, e));
  return clocks.insert(m, {
    ...base,
    id: randomUUID(),
    target,
    state: 'running',
    due_at: dueAt,
    next_due_at: next?.at ?? null,
    paused_since: null,
    stopped_at: null,
    stop_reason: null,
  });
}

/** `escalation.clock.started.v1` for the clocks that measure a target (the downtime clock measures none); no cause for an admin's re-base. */
export function startedEvents(clocks: ClockRow[], cause?: EventEnvelope): OutboxEvent[] {
  return clocks.filter((k): k is ClockRow & { due_at: Date } => k.due_at !== null).map((k) => startedEvent(k, cause));
}

function startedEvent(clock: ClockRow & { due_at: Date }, cause?: EventEnvelope): OutboxEvent {
  return {
    type: 'escalation.clock.started.v1',
    aggregateType: 'case',
    aggregateId: clock.case_id,
    cause,
    data: {
      clockId: clock.id,
      caseId: clock.case_id,
      region: clock.region,
      severity: clock.severity,
      target: clock.target,
      startedAt: clock.started_at.toISOString(),
      dueAt: clock.due_at.toISOString(),
    },
  };
}
