import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CaseStatus, EventData, EventEnvelope } from '@aftersales/contracts';
import { OutboxEvent } from '@aftersales/messaging';
import { SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { PauseReason, totalDowntimeMs, warrantyExtensionDays } from '../domain';
import { CLOCK_COLUMNS, ClockPlans, ClockRow } from './clock-plans';
import { MAIN_CLOCK_TARGET } from './clock-targets';

/** Case statuses that wait on someone else, and the pause reason a policy's `pausesOn` names. */
const PAUSE_REASON: Partial<Record<CaseStatus, PauseReason>> = {
  'waiting-customer': 'customer',
  'waiting-parts': 'parts',
  'waiting-vendor': 'vendor',
};
/** Resolution stops the clocks (a close without a resolve too). */
const STOPS: ReadonlySet<CaseStatus> = new Set<CaseStatus>(['resolved', 'confirmed', 'closed']);

/**
 * Keeps a case's clocks in step with its lifecycle (`case.status.changed.v1`, in order per case):
 * waiting-* opens a pause, leaving it closes the pause, resolution stops the clocks, a reopen
 * starts the next episode. Times come from the event, not from when it is processed, so a
 * redelivered or late event gives the same clocks.
 */
@Controller()
export class ClockLifecycle {
  constructor(
    @Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime,
    private readonly plans: ClockPlans,
  ) {}

  @EventPattern('case.status.changed.v1')
  async onStatusChanged(@Payload() event: EventEnvelope<EventData<'case.status.changed.v1'>>): Promise<void> {
    const c = event.data;
    const s = this.rt.config.database.schema;
    await this.rt.inbox.handleOnce('escalation.clock-lifecycle', event, async (m) => {
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

      // any change of status ends the current wait (a switch from one wait to another starts a new one below)
      if (ids.length)
        await m.query(`UPDATE "${s}".clock_pauses SET to_at = $2 WHERE clock_id = ANY($1::uuid[]) AND to_at IS NULL`, [ids, at]);
      const reason = PAUSE_REASON[c.to];
      if (reason && ids.length) {
        await m.query(
          `INSERT INTO "${s}".clock_pauses (clock_id, from_at, reason) SELECT unnest($1::uuid[]), $2, $3 ON CONFLICT DO NOTHING`,
          [ids, at, reason],
        );
      }
      if (STOPS.has(c.to) && running.length) {
        await m.query(
          `UPDATE "${s}".sla_clocks SET state = 'stopped', stopped_at = $2, stop_reason = $3, next_due_at = NULL, paused_since = NULL
            WHERE id = ANY($1::uuid[])`,
          [ids, at, c.to],
        );
        events.push(...(await this.warrantyExtension(m, s, running, at, event)));
      } else if (c.to === 'reopened' && running.length === 0) {
        events.push(...(await this.nextEpisode(m, s, clocks, at, event)));
      } else {
        await this.plans.replan(m, s, running, new Date());
      }
      if (events.length) await this.rt.outbox.append(m, events);
    });
  }

  /** A reopened case gets fresh clocks (same policy version and calendar), counted from the reopen. */
  private async nextEpisode(m: EntityManager, s: string, previous: ClockRow[], at: Date, cause: EventEnvelope): Promise<OutboxEvent[]> {
    const out: OutboxEvent[] = [];
    const started: ClockRow[] = [];
    // only the main clock: on-site time starts again with a new dispatch, and the first response is once per case
    for (const p of previous.filter((k) => k.target === MAIN_CLOCK_TARGET)) {
      const id = randomUUID();
      await m.query(
        `INSERT INTO "${s}".sla_clocks (id, case_id, region, severity, target, episode, state, started_at, due_at, next_due_at,
                                         policy_id, policy_version, calendar_id, contract_id, coverage)
         SELECT $1, case_id, region, severity, target, episode + 1, 'running', $3, $3, NULL,
                policy_id, policy_version, calendar_id, contract_id, coverage
           FROM "${s}".sla_clocks WHERE id = $2`,
        [id, p.id, at],
      );
      started.push({ ...p, id, episode: p.episode + 1, state: 'running', started_at: at, paused_since: null, stopped_at: null });
    }
    await this.plans.replan(m, s, started, new Date());
    for (const k of started) {
      const plan = await this.plans.plan(m, k, [], at);
      const ladder = plan.targets.find((t) => t.kind === plan.ladderTarget);
      const dueAt = ladder?.breachAt ?? at;
      await m.query(`UPDATE "${s}".sla_clocks SET due_at = $2 WHERE id = $1`, [k.id, dueAt]);
      out.push({
        type: 'escalation.clock.started.v1',
        aggregateType: 'case',
        aggregateId: k.case_id,
        cause,
        data: {
          clockId: k.id,
          caseId: k.case_id,
          region: k.region,
          severity: k.severity,
          target: k.target,
          startedAt: at.toISOString(),
          dueAt: dueAt.toISOString(),
        },
      });
    }
    return out;
  }

  /**
   * Seed 003: supplier-caused downtime of a P1 case under a contract extends the warranty by the
   * days down (24-hour days, started days rounded up). Downtime = the P1 clock's wall time from
   * start to resolution minus the time spent waiting on the customer.
   */
  private async warrantyExtension(
    m: EntityManager,
    s: string,
    stopped: ClockRow[],
    at: Date,
    cause: EventEnvelope,
  ): Promise<OutboxEvent[]> {
    // the main clock: the one that runs from the report to resolution whatever else the case had
    const clock = stopped.find((k) => k.target === MAIN_CLOCK_TARGET && k.severity === 'P1' && k.contract_id);
    if (!clock) return [];
    const pauses = (await this.plans.pausesOf(m, s, [clock.id])).get(clock.id) ?? [];
    const start = new Date(clock.started_at);
    const waits = pauses.filter((p) => p.reason === 'customer').map((p) => ({ from: p.from, to: p.to ?? at }));
    const downtimeMs = Math.max(0, at.getTime() - start.getTime() - totalDowntimeMs(waits));
    const days = warrantyExtensionDays(downtimeMs);
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
          downtimeMinutes: Math.round(downtimeMs / 60_000),
          days,
          from: start.toISOString(),
          to: at.toISOString(),
        },
      },
    ];
  }
}
