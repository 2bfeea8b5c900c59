import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ClockListView } from '../api/responses';
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
    return { items: items.map((c) => ({ ...c, state: shownState(c.state, c.pausedSince) })) };
  }
}
