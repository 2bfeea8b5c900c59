import { Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ClockListView } from '../api/responses';
import { shownState } from '../timeline/timeline.controller';
import { CurrentPrincipal, Principal, regionScope, Roles, SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { SlaClock } from './sla-clock.entity';

@ApiTags('clocks')
@ApiBearerAuth()
@Controller('cases/:caseId/clocks')
export class ClocksController {
  constructor(@Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime) {}

  @Get()
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ type: ClockListView })
  async list(@Param('caseId', new ParseUUIDPipe()) caseId: string, @CurrentPrincipal() by: Principal) {
    const region = regionScope(by);
    const items = await this.rt.dataSource
      .getRepository(SlaClock)
      .find({ where: { caseId, ...(region === undefined ? {} : { region }) }, order: { target: 'ASC' } });
    // a case without clocks here, or of another region, is absent (as the timeline answers)
    if (items.length === 0) throw new NotFoundException(`case ${caseId} has no SLA clock`);
    return { items: items.map((c) => ({ ...c, state: shownState(c.state, c.pausedSince) })) };
  }
}
