import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@aftersales/platform';
import { ProblemView } from '../catalog/catalog.dto';
import { OrderPlanDto, PlanLinesDto, PlanQuery, PurchasePlanPage, PurchasePlanView, StockInPlanDto } from './purchase-plans.dto';
import { PurchasePlansService } from './purchase-plans.service';

const uuid = new ParseUUIDPipe();
const ILLEGAL = { status: 409, type: ProblemView, description: 'not allowed in the plan’s state: `allowed` lists what is' } as const;

/** Purchase plans drafted from signed contracts; the region's manager orders and stocks them in within the week. */
@ApiTags('purchase plans')
@ApiBearerAuth()
@Controller('purchase-plans')
export class PurchasePlansController {
  constructor(private readonly plans: PurchasePlansService) {}

  @Get()
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ type: PurchasePlanPage })
  list(@Query() q: PlanQuery, @CurrentPrincipal() by: Principal) {
    return this.plans.list(by, { state: q.state, overdue: q.overdue, contractId: q.contractId }, q.limit, q.offset);
  }

  @Get(':id')
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ type: PurchasePlanView })
  @ApiResponse({ status: 404, type: ProblemView })
  get(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.plans.get(id, by);
  }

  @Post(':id/lines')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Add parts to a drafted plan (quantities of a part already planned add up)' })
  @ApiOkResponse({ type: PurchasePlanView })
  @ApiResponse({ status: 422, type: ProblemView, description: 'unknown part' })
  @ApiResponse(ILLEGAL)
  addLines(@Param('id', uuid) id: string, @Body() dto: PlanLinesDto, @CurrentPrincipal() by: Principal) {
    return this.plans.addLines(id, dto.lines, by);
  }

  @Post(':id/order')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Ordered for a depot: the lines count in transit there' })
  @ApiOkResponse({ type: PurchasePlanView })
  @ApiResponse(ILLEGAL)
  order(@Param('id', uuid) id: string, @Body() dto: OrderPlanDto, @CurrentPrincipal() by: Principal) {
    return this.plans.order(id, dto.depotId, dto.expectedAt, by);
  }

  @Post(':id/stock-in')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Stocked in: on hand at the depot; announces spares.purchase-plan.stocked-in.v1 (ends the deadline)' })
  @ApiOkResponse({ type: PurchasePlanView })
  @ApiResponse(ILLEGAL)
  stockIn(@Param('id', uuid) id: string, @Body() dto: StockInPlanDto, @CurrentPrincipal() by: Principal) {
    return this.plans.stockIn(id, dto.depotId, by);
  }
}
