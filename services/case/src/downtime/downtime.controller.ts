import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@aftersales/platform';
import { ClassifyDowntimeDto, DowntimeView } from './downtime.dto';
import { DowntimeService } from './downtime.service';

/** Who caused a case's downtime (seed 003: only the supplier's extends the warranty). Staff only. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases/:id/downtime')
export class DowntimeController {
  constructor(private readonly downtime: DowntimeService) {}

  @Put()
  @HttpCode(200)
  @Roles('engineer', 'manager', 'admin')
  @ApiOperation({ summary: 'Set or correct the downtime cause (and, if the clock measured it wrong, the stoppages) with a reason' })
  @ApiOkResponse({ type: DowntimeView })
  @ApiResponse({
    status: 400,
    description: 'a cause outside the list, a blank reason, a period that ends before it starts or overlaps another',
  })
  @ApiResponse({ status: 404, description: 'no such case in the token’s scope' })
  classify(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: ClassifyDowntimeDto, @CurrentPrincipal() by: Principal) {
    return this.downtime.classify(id, dto, by);
  }

  @Get()
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ type: DowntimeView })
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by: Principal) {
    return this.downtime.get(id, by);
  }
}
