import { BadRequestException, Body, Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CaseTimelineView, SimulatedTimelineView } from '../api/responses';
import { Clock, CurrentPrincipal, Principal, regionScope, Roles } from '@aftersales/platform';
import { DataSource } from 'typeorm';
import { ClockRepository } from '../clocks/clock.repository';
import { FiringRepository } from '../clocks/firing.repository';
import { clockFires, ClockPause, DOWNTIME, downtimeOf, formatLocalInstant, measuredBy, TargetKind } from '../domain';
import { CalendarStore } from '../policies/calendar-store';
import { PolicyStore } from '../policies/policy-store';
import { SimulateDto } from './simulate.dto';
import { buildTimeline, Timeline } from './timeline';

/** One clock of a case as the timeline shows it: what it measures, whether and why it stopped, and its plan. */
export type ClockTimeline = Timeline & {
  clockId: string;
  /** the row's target: `ladder:<kind>` (the ladder's clock), a target kind, `downtime`, or `ladder` (started before 1700000000004) */
  target: string;
  /** the target kind the clock measures (null: the downtime clock, or a clock started before 1700000000004) */
  measures: TargetKind | null;
  episode: number;
  state: string;
  stoppedAt: string | null;
  /** `diagnosed`, `responded`, `arrived` (its target met), or the resolving status */
  stopReason: string | null;
  /** the downtime clock: supplier-caused downtime so far (to resolution once stopped) and the warranty days it earns */
  downtime?: { minutes: number; warrantyDays: number };
};

/** A running clock with an open pause is shown as paused (the row stays `running` for the firing loop). */
export function shownState(state: string, pausedSince: Date | string | null): string {
  return state === 'running' && pausedSince ? 'paused' : state;
}

/** The contract calendar's wall-clock times next to the UTC ones, for people in that zone. */
function withLocalTimes(t: Timeline, timeZone: string): LocalTimeline {
  const local = (iso: string | null) => (iso ? formatLocalInstant(new Date(iso), timeZone) : null);
  return {
    ...t,
    timeZone,
    startedAtLocal: local(t.startedAt)!,
    events: t.events.map((e) => ({ ...e, dueAtLocal: local(e.dueAt) })),
  };
}

type LocalTimeline = Timeline & {
  timeZone: string;
  startedAtLocal: string;
  events: Array<Timeline['events'][number] & { dueAtLocal: string | null }>;
};

/**
 * Preview of escalation plans: the planned warnings, breaches and rungs with their wall-clock
 * times under the clock's policy version and calendar, each marked fired (from `clock_firings`)
 * or pending; and the same for a hypothetical case under a policy.
 */
@ApiTags('timeline')
@ApiBearerAuth()
@Controller()
export class TimelineController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clocks: ClockRepository,
    private readonly firings: FiringRepository,
    private readonly policies: PolicyStore,
    private readonly calendars: CalendarStore,
    private readonly clock: Clock,
  ) {}

  @Get('cases/:caseId/timeline')
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ type: CaseTimelineView })
  async timeline(
    @Param('caseId', new ParseUUIDPipe()) caseId: string,
    @CurrentPrincipal() by: Principal,
  ): Promise<{ caseId: string; clocks: ClockTimeline[] }> {
    // another region's case is absent here (404), unless the token is global
    const clocks = await this.clocks.allOfCase(caseId, this.dataSource.manager, regionScope(by));
    if (clocks.length === 0) throw new NotFoundException(`case ${caseId} has no SLA clock`);
    const ids = clocks.map((c) => c.id);
    const rows = await this.firings.firingsOf(ids);
    const pauses = await this.clocks.pausesOf(this.dataSource.manager, ids);
    const now = this.clock.now();
    const out: ClockTimeline[] = [];
    for (const c of clocks) {
      const firings = new Map(rows.filter((r) => r.clock_id === c.id).map((r) => [r.event_key, new Date(r.fired_at)]));
      const stoppedAt = c.stopped_at ? new Date(c.stopped_at) : null;
      const own = pauses.get(c.id) ?? [];
      const timeline = buildTimeline({
        policy: await this.policies.version(c.policy_id ?? 'ladder-b', c.policy_version ?? 1),
        severity: c.severity,
        calendar: await this.calendars.get(c.calendar_id),
        startedAt: new Date(c.started_at),
        pauses: own,
        stoppedAt,
        now,
        firings,
        fires: (e) => clockFires(c.target, e),
      });
      const row: ClockTimeline = {
        clockId: c.id,
        target: c.target,
        measures: measuredBy(c.target),
        episode: c.episode,
        state: shownState(c.state, c.paused_since),
        stoppedAt: stoppedAt?.toISOString() ?? null,
        stopReason: c.stop_reason,
        ...timeline,
      };
      if (c.target === DOWNTIME) {
        const down = downtimeOf(new Date(c.started_at), stoppedAt ?? now, own);
        row.downtime = { minutes: down.minutes, warrantyDays: down.warrantyDays };
      }
      out.push(row);
    }
    return { caseId, clocks: out };
  }

  @Post('policies/:policyId/simulate')
  @HttpCode(200)
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ type: SimulatedTimelineView })
  async simulate(@Param('policyId') policyId: string, @Body() body: SimulateDto): Promise<LocalTimeline> {
    const policy = await this.policies.latest(policyId);
    if (!policy) throw new NotFoundException(`unknown SLA policy ${policyId}`);
    const pauses: ClockPause[] = (body.pauses ?? []).map((p, i) => {
      const from = new Date(p.from);
      const to = p.to === undefined ? null : new Date(p.to);
      if (to !== null && to.getTime() < from.getTime()) {
        throw new BadRequestException({
          statusCode: 400,
          error: 'Bad Request',
          message: 'validation failed',
          errors: [{ field: `pauses.${i}.to`, reason: 'to must not be before from' }],
        });
      }
      return { from, to, ...(p.reason ? { reason: p.reason } : {}) };
    });
    const calendar = await this.calendars.get(body.calendarId ?? null);
    if (body.calendarId && calendar.id !== body.calendarId) throw new NotFoundException(`unknown calendar ${body.calendarId}`);
    const timeline = buildTimeline({
      policy,
      severity: body.severity,
      calendar,
      startedAt: new Date(body.startedAt),
      pauses,
      now: this.clock.now(),
    });
    return withLocalTimes(timeline, calendar.timeZone);
  }
}
