import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles, SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { ClockPause, PRESET_POLICIES, Severity, SlaPolicy } from '../domain';
import { calendarFor, DEFAULT_CALENDAR, policyFor } from '../clocks/policies';
import { SimulateDto } from './simulate.dto';
import { buildTimeline, Timeline } from './timeline';

interface ClockRow {
  id: string;
  target: string;
  state: string;
  severity: Severity;
  started_at: Date;
  policy_id: string | null;
  policy_version: number | null;
  calendar_id: string | null;
}

/** The newest version of each preset policy, by id. */
function latestPolicy(id: string): SlaPolicy | undefined {
  let best: SlaPolicy | undefined;
  for (const p of PRESET_POLICIES) if (p.id === id && (!best || p.version > best.version)) best = p;
  return best;
}

/**
 * Preview of escalation plans: the planned warnings, breaches and rungs with their wall-clock
 * times under the clock's policy version and calendar, each marked fired (from `clock_firings`)
 * or pending; and the same for a hypothetical case under a policy.
 */
@ApiTags('timeline')
@ApiBearerAuth()
@Controller()
export class TimelineController {
  constructor(@Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime) {}

  @Get('cases/:caseId/timeline')
  @Roles('agent', 'engineer', 'manager', 'admin')
  async timeline(
    @Param('caseId', new ParseUUIDPipe()) caseId: string,
  ): Promise<{ caseId: string; clocks: Array<Timeline & { clockId: string; target: string; state: string }> }> {
    const s = this.rt.config.database.schema;
    const ds = this.rt.dataSource;
    const clocks: ClockRow[] = await ds.query(
      `SELECT id, target, state, severity, started_at, policy_id, policy_version, calendar_id
         FROM "${s}".sla_clocks WHERE case_id = $1 ORDER BY target`,
      [caseId],
    );
    if (clocks.length === 0) throw new NotFoundException(`case ${caseId} has no SLA clock`);
    const rows: Array<{ clock_id: string; event_key: string; fired_at: Date }> = await ds.query(
      `SELECT clock_id, event_key, fired_at FROM "${s}".clock_firings WHERE clock_id = ANY($1::uuid[])`,
      [clocks.map((c) => c.id)],
    );
    const now = new Date();
    return {
      caseId,
      clocks: clocks.map((c) => {
        const firings = new Map(rows.filter((r) => r.clock_id === c.id).map((r) => [r.event_key, new Date(r.fired_at)]));
        const timeline = buildTimeline({
          policy: policyFor(c.policy_id, c.policy_version),
          severity: c.severity,
          calendar: calendarFor(c.calendar_id),
          startedAt: new Date(c.started_at),
          // pauses are not recorded on clocks yet: the plan counts from the start without pauses
          pauses: [],
          now,
          firings,
        });
        return { clockId: c.id, target: c.target, state: c.state, ...timeline };
      }),
    };
  }

  @Post('policies/:policyId/simulate')
  @HttpCode(200)
  @Roles('agent', 'engineer', 'manager', 'admin')
  simulate(@Param('policyId') policyId: string, @Body() body: SimulateDto): Timeline {
    const policy = latestPolicy(policyId);
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
    return buildTimeline({ policy, severity: body.severity, calendar: DEFAULT_CALENDAR, startedAt: new Date(body.startedAt), pauses });
  }
}
