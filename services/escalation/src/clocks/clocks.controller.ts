import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ClockListView, ClockView } from '../api/responses';
import { ClockRow } from '../domain';
import { shownState } from '../timeline/timeline.controller';
import { CurrentPrincipal, Principal, regionScope, Roles } from '@aftersales/platform';
import { ClockRepository } from './clock.repository';

@ApiTags('clocks')
@ApiBearerAuth()
@Controller('cases/:caseId/clocks')
export class ClocksController {
  constructor(private readonly clocks: ClockRepository) {}

  @Get()
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ type: ClockListView })
  async list(@Param('caseId', new ParseUUIDPipe()) caseId: string, @CurrentPrincipal() by: Principal) {
    const items = await this.clocks.listOfCase(caseId, regionScope(by));
    // a case without clocks here, or of another region, is absent (as the timeline answers)
    if (items.length === 0) throw new NotFoundException(`case ${caseId} has no SLA clock`);
    return { items: items.map(clockView) };
  }
}

/** A clock as `GET /cases/{id}/clocks` shows it: a running clock waiting on someone is `paused`. */
function clockView(k: ClockRow): ClockView {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: k.id,
    caseId: k.case_id,
    region: k.region,
    severity: k.severity,
    target: k.target,
    episode: k.episode,
    state: shownState(k.state, k.paused_since),
    startedAt: k.started_at.toISOString(),
    dueAt: iso(k.due_at),
    nextDueAt: iso(k.next_due_at),
    policyId: k.policy_id,
    policyVersion: k.policy_version,
    calendarId: k.calendar_id,
    contractId: k.contract_id,
    coverage: k.coverage,
    pausedSince: iso(k.paused_since),
    stoppedAt: iso(k.stopped_at),
    stopReason: k.stop_reason,
  };
}
