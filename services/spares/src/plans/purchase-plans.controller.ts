import { Body, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '@aftersales/platform';
import { ProblemView } from '../catalog/catalog.dto';
import { OrderPlanDto, PlanLinesDto, PlanQuery, PurchasePlanPage, PurchasePlanView, StockInPlanDto } from './purchase-plans.dto';
import { PurchasePlansService } from './purchase-plans.service';
import { MANAGERS, Move, Read, SparesApi, uuid } from '../shared/http';

const ILLEGAL = 'not allowed in the plan’s state: `allowed` lists what is';

/** Purchase plans drafted from signed contracts; the region's manager orders and stocks them in within the week. */
@SparesApi('purchase plans', 'purchase-plans')
export class PurchasePlansController {
  constructor(private readonly plans: PurchasePlansService) {}

  @Read(undefined, PurchasePlanPage)
  list(@Query() q: PlanQuery, @CurrentPrincipal() by: Principal) {
    return this.plans.list(by, { state: q.state, overdue: q.overdue, contractId: q.contractId }, q.limit, q.offset);
  }

  @Read(':id', PurchasePlanView, { notFound: true })
  get(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.plans.get(id, by);
  }

  @Move(':id/lines', PurchasePlanView, { conflict: ILLEGAL, roles: MANAGERS })
  @ApiOperation({ summary: 'Add parts to a drafted plan (quantities of a part already planned add up)' })
  @ApiResponse({ status: 422, type: ProblemView, description: 'unknown part' })
  addLines(@Param('id', uuid) id: string, @Body() dto: PlanLinesDto, @CurrentPrincipal() by: Principal) {
    return this.plans.addLines(id, dto.lines, by);
  }

  @Move(':id/order', PurchasePlanView, { conflict: ILLEGAL, roles: MANAGERS })
  @ApiOperation({ summary: 'Ordered for a depot: the lines count in transit there' })
  order(@Param('id', uuid) id: string, @Body() dto: OrderPlanDto, @CurrentPrincipal() by: Principal) {
    return this.plans.order(id, dto.depotId, dto.expectedAt, by);
  }

  @Move(':id/stock-in', PurchasePlanView, { conflict: ILLEGAL, roles: MANAGERS })
  @ApiOperation({ summary: 'Stocked in: on hand at the depot; announces spares.purchase-plan.stocked-in.v1 (ends the deadline)' })
  stockIn(@Param('id', uuid) id: string, @Body() dto: StockInPlanDto, @CurrentPrincipal() by: Principal) {
    return this.plans.stockIn(id, dto.depotId, by);
  }
}
