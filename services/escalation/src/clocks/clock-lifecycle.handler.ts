import { Controller, Inject } from '@nestjs/common';
import { CaseStatus, EventEnvelope } from '@aftersales/contracts';
import { Envelope, HandlerContext, OnEvent, Outbox, OutboxEvent } from '@aftersales/messaging';
import { Clock, SERVICE_CONFIG } from '@aftersales/platform';
import { EntityManager } from 'typeorm';
import { downtimeMs, PauseReason, Severity, warrantyExtensionDays } from '../domain';
import { CalendarStore } from '../policies/calendar-store';
import { PolicyStore } from '../policies/policy-store';
import { ClockFiringLoop } from './clock-firing.loop';
import { CLOCK_COLUMNS, ClockPlans, ClockRow } from './clock-plans';
import { startClock, startedEvents } from './clock-starter.handler';
import { DOWNTIME, LEGACY_LADDER, RESOLUTION, rowTargetsAtReopen } from './clock-targets';
import { SlaClock } from './sla-clock.entity';
import { stopClocks } from './target-met';
import { ServiceConfig } from '@aftersales/config';

/** Case statuses that wait on someone else, and the pause reason a policy's `pausesOn` names. */
const PAUSE_REASON: Partial<Record<CaseStatus, PauseReason>> = {
  'waiting-customer': 'customer',
  'waiting-parts': 'parts',
  'waiting-vendor': 'vendor',
};

/**
 * Keeps a case's clocks in step with its lifecycle (`case.status.changed.v1`, in order per case):
 * waiting-* opens a pause of every running clock, leaving it closes the pause, resolution stops
 * the clocks, a reopen starts the next episode. The case's waits are also kept apart from its
 * clocks (`case_waits`), for a clock that starts later. Times come from the event, not from when
 * it is processed, so a redelivered or late event gives the same clocks.
 */
@Controller()
export class ClockLifecycle {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly outbox: Outbox,
    private readonly plans: ClockPlans,
    private readonly firing: ClockFiringLoop,
    private readonly policies: PolicyStore,
    private readonly calendars: CalendarStore,
    private readonly clock: Clock,
  ) {}

  @OnEvent('case.status.changed.v1', { consumer: 'escalation.clock-lifecycle' })
  async onStatusChanged(event: Envelope<'case.status.changed.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const c = event.data;
    const s = this.config.database.schema;
    const at = new Date(c.at);
    const clocks: ClockRow[] = await m.query(
      `SELECT ${CLOCK_COLUMNS} FROM "${s}".sla_clocks
        WHERE case_id = $1 AND episode = (SELECT max(episode) FROM "${s}".sla_clocks WHERE case_id = $1)
        ORDER BY target FOR UPDATE`,
      [c.caseId],
    );
    if (clocks.length === 0) return; // no clock (yet): case.opened is on the same topic and key, so it came first or never
    const running = clocks.filter((k) => k.state === 'running');
    const ids = running.map((k) => k.id);
    const events: OutboxEvent[] = [];
    const reason = PAUSE_REASON[c.to];

    // the episode's waits, whichever clocks run (the ladder's may have stopped at the diagnosis)
    const episode = clocks[0].episode;
    await m.query(`UPDATE "${s}".case_waits SET to_at = GREATEST(from_at, $3) WHERE case_id = $1 AND episode = $2 AND to_at IS NULL`, [
      c.caseId,
      episode,
      at,
    ]);
    if (reason) {
      await m.query(`INSERT INTO "${s}".case_waits (case_id, episode, from_at, reason) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [
        c.caseId,
        episode,
        at,
        reason,
      ]);
    }

    // any change of status ends the current wait (a switch from one wait to another starts a new one below)
    if (ids.length)
      await m.query(`UPDATE "${s}".clock_pauses SET to_at = $2 WHERE clock_id = ANY($1::uuid[]) AND to_at IS NULL`, [ids, at]);
    if (reason && ids.length) {
      await m.query(
        `INSERT INTO "${s}".clock_pauses (clock_id, from_at, reason) SELECT unnest($1::uuid[]), $2, $3 ON CONFLICT DO NOTHING`,
        [ids, at, reason],
      );
    }
    if (RESOLUTION.has(c.to) && running.length) {
      await this.firing.fireDueBy(m, running, at); // a rung reached before the resolution is still told, once
      await stopClocks(m, s, ids, at, c.to);
      events.push(...(await this.warrantyExtension(m, s, running, at, event)));
    } else if (c.to === 'reopened' && running.length === 0 && new Date(clocks[0].started_at) < at) {
      // (a reopen at or before the episode's start is one this episode already began with)
      events.push(...(await this.nextEpisode(m, clocks, at, event)));
    } else {
      await this.plans.replan(m, s, running, this.clock.now());
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
    const row = await m.findOneByOrFail(SlaClock, { id: newest.id });
    const policy = await this.policies.version(row.policyId ?? 'ladder-b', row.policyVersion ?? 1, m);
    const calendar = await this.calendars.get(row.calendarId, m);
    const base = { ...row, episode: row.episode + 1, startedAt: at };
    const started: SlaClock[] = [];
    for (const target of rowTargetsAtReopen(policy.severities[row.severity as Severity], row)) {
      started.push(await startClock(m, policy, calendar, base, target));
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
  private async warrantyExtension(
    m: EntityManager,
    s: string,
    stopped: ClockRow[],
    at: Date,
    cause: EventEnvelope,
  ): Promise<OutboxEvent[]> {
    // cases started before 1700000000004 have no downtime clock: their main clock ran to resolution
    const clock =
      stopped.find((k) => k.target === DOWNTIME && k.contract_id) ??
      stopped.find((k) => k.target === LEGACY_LADDER && k.severity === 'P1' && k.contract_id);
    if (!clock) return [];
    const pauses = (await this.plans.pausesOf(m, s, [clock.id])).get(clock.id) ?? [];
    const start = new Date(clock.started_at);
    const customerWaits = pauses.filter((p) => p.reason === 'customer');
    const down = downtimeMs(start, at, customerWaits);
    const days = warrantyExtensionDays(down);
    if (days === 0) return [];
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
          downtimeMinutes: Math.round(down / 60_000),
          days,
          from: start.toISOString(),
          to: at.toISOString(),
        },
      },
    ];
  }
}
