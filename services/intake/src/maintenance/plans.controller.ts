import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ListOf, PageOf, Principal, problemException, Roles } from '@aftersales/platform';
import { ChecklistDto, ChecklistView, CreatePlanDto, OccurrenceQuery, OccurrenceView, PlanView } from './maintenance.dto';
import { PlansService } from './plans.service';

const ID_RE = /^[A-Za-z0-9_.:-]{1,64}$/;
const checkId = (field: string, v: string) => {
  if (!ID_RE.test(v)) throw problemException(400, [{ field, reason: `${field} must be 1-64 letters, digits or _.:-` }]);
};

/** Preventive maintenance of a contract (domain §9): its plans, their occurrences, and the checklists of asset models. */
@ApiTags('maintenance')
@ApiBearerAuth()
@Controller()
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Post('contracts/:contractId/maintenance-plans')
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Add a plan: quarterly inspections per site, periodic remote checks (announced ahead), monthly records' })
  @ApiCreatedResponse({ type: PlanView })
  @ApiResponse({ status: 400, description: 'zero or absurd frequency, lead or completion time; a record that is not monthly' })
  @ApiResponse({ status: 404, description: 'no such contract in the token’s scope' })
  create(@Param('contractId') contractId: string, @Body() dto: CreatePlanDto, @CurrentPrincipal() by: Principal) {
    checkId('contractId', contractId);
    return this.plans.create(contractId, dto, by);
  }

  @Get('contracts/:contractId/maintenance-plans')
  @Roles('agent', 'engineer', 'manager', 'admin', 'customer')
  @ApiOkResponse({ type: ListOf(PlanView) })
  list(@Param('contractId') contractId: string, @CurrentPrincipal() by: Principal) {
    checkId('contractId', contractId);
    return this.plans.list(contractId, by);
  }

  @Get('contracts/:contractId/maintenance-occurrences')
  @Roles('agent', 'engineer', 'manager', 'admin', 'customer')
  @ApiOkResponse({ type: PageOf(OccurrenceView), description: 'the scheduled, announced and opened occurrences of the contract’s plans' })
  occurrences(@Param('contractId') contractId: string, @Query() q: OccurrenceQuery, @CurrentPrincipal() by: Principal) {
    checkId('contractId', contractId);
    return this.plans.occurrences(contractId, by, q.limit, q.offset);
  }

  @Put('inspection-checklists/:model')
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'What an inspection checks on each asset of this model' })
  @ApiOkResponse({ type: ChecklistView })
  setChecklist(@Param('model') model: string, @Body() dto: ChecklistDto, @CurrentPrincipal() by: Principal) {
    if (!model.trim() || model.length > 128) throw problemException(400, [{ field: 'model', reason: 'model must be 1-128 characters' }]);
    return this.plans.setChecklist(model, dto, by);
  }

  @Get('inspection-checklists/:model')
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ type: ChecklistView })
  checklist(@Param('model') model: string) {
    return this.plans.checklist(model);
  }
}
