import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '@aftersales/platform';
import { ProblemView } from '../catalog/catalog.dto';
import { ReturnView } from '../returns/returns.dto';
import {
  CreatePartRequestDto,
  DoaExchangeView,
  OptionalReasonDto,
  OutOfStockView,
  PartRequestPage,
  PartRequestQuery,
  PartRequestView,
  ReasonDto,
  RequestMoveView,
  ShipDto,
} from './part-requests.dto';
import { PartRequestsService } from './part-requests.service';

const STAFF = ['agent', 'engineer', 'manager', 'admin'] as const;
const uuid = new ParseUUIDPipe();
const ILLEGAL = { status: 409, type: ProblemView, description: 'not allowed in the request’s state: `allowed` lists what is' } as const;

/**
 * Part requests of cases. Staff see the requests of their region and those served from their
 * region's depots (whose manager approves cross-region transfers); anything else is 404.
 */
@ApiTags('part requests')
@ApiBearerAuth()
@Controller('part-requests')
export class PartRequestsController {
  constructor(private readonly requests: PartRequestsService) {}

  @Post()
  @HttpCode(201)
  @Roles(...STAFF)
  @ApiOperation({
    summary: 'Request parts for a case: held at the best depot (own region first; another region’s after its manager approves)',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiResponse({ status: 201, type: PartRequestView, description: '`reserved`, or `awaiting-approval` at another region’s depot' })
  @ApiResponse({ status: 400, type: ProblemView, description: 'a field is missing or wrong (e.g. quantity below 1)' })
  @ApiResponse({
    status: 409,
    type: OutOfStockView,
    description: 'out of stock: `nextBest` names the depot that could serve soonest and when',
  })
  @ApiResponse({ status: 422, type: ProblemView, description: 'unknown part, depot or case' })
  async create(
    @Body() dto: CreatePartRequestDto,
    @CurrentPrincipal() by: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const r = await this.requests.create(dto, by, key);
    res.status(r.status);
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return r.body;
  }

  @Get()
  @Roles(...STAFF)
  @ApiOkResponse({ type: PartRequestPage })
  list(@Query() q: PartRequestQuery, @CurrentPrincipal() by: Principal) {
    return this.requests.list(by, { caseId: q.caseId, state: q.state, depotId: q.depotId }, q.limit, q.offset);
  }

  @Get(':id')
  @Roles(...STAFF)
  @ApiOkResponse({ type: PartRequestView })
  @ApiResponse({ status: 404, type: ProblemView })
  get(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.requests.get(id, by);
  }

  @Get(':id/history')
  @Roles(...STAFF)
  @ApiOkResponse({ type: [RequestMoveView] })
  history(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.requests.history(id, by);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'The depot region’s manager approves a cross-region transfer' })
  @ApiOkResponse({ type: PartRequestView })
  @ApiResponse({ status: 403, type: ProblemView, description: 'not a manager of the depot’s region' })
  @ApiResponse(ILLEGAL)
  approve(@Param('id', uuid) id: string, @Body() dto: OptionalReasonDto, @CurrentPrincipal() by: Principal) {
    return this.requests.approve(id, by, dto.reason);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOkResponse({ type: PartRequestView })
  @ApiResponse(ILLEGAL)
  reject(@Param('id', uuid) id: string, @Body() dto: ReasonDto, @CurrentPrincipal() by: Principal) {
    return this.requests.reject(id, by, dto.reason);
  }

  @Post(':id/pick')
  @HttpCode(200)
  @Roles(...STAFF)
  @ApiOkResponse({ type: PartRequestView })
  @ApiResponse(ILLEGAL)
  pick(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.requests.pick(id, by);
  }

  @Post(':id/ship')
  @HttpCode(200)
  @Roles(...STAFF)
  @ApiOkResponse({ type: PartRequestView })
  @ApiResponse({ status: 400, type: ProblemView, description: 'neither carrier with tracking number nor courier' })
  @ApiResponse({ status: 409, type: ProblemView, description: 'out of order, or more than reserved' })
  ship(@Param('id', uuid) id: string, @Body() dto: ShipDto, @CurrentPrincipal() by: Principal) {
    return this.requests.ship(id, dto, by);
  }

  @Post(':id/deliver')
  @HttpCode(200)
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Delivered to the site; later than neededBy raises spares.delivery.late.v1' })
  @ApiOkResponse({ type: PartRequestView })
  @ApiResponse(ILLEGAL)
  deliver(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.requests.deliver(id, by);
  }

  @Post(':id/install')
  @HttpCode(200)
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Installed; a part that must come back makes the faulty one owed to the depot' })
  @ApiOkResponse({ type: PartRequestView })
  @ApiResponse(ILLEGAL)
  install(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.requests.install(id, by);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles(...STAFF)
  @ApiOkResponse({ type: PartRequestView })
  @ApiResponse(ILLEGAL)
  cancel(@Param('id', uuid) id: string, @Body() dto: ReasonDto, @CurrentPrincipal() by: Principal) {
    return this.requests.cancel(id, by, dto.reason);
  }

  @Post(':id/doa-exchange')
  @HttpCode(201)
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Dead on arrival within the part’s DOA window: exchanged by a new linked request; the dead unit is owed back' })
  @ApiResponse({ status: 201, type: DoaExchangeView })
  @ApiResponse({
    status: 409,
    type: ProblemView,
    description: 'not delivered, or outside the DOA window (repair instead), or out of stock',
  })
  doa(@Param('id', uuid) id: string, @Body() dto: ReasonDto, @CurrentPrincipal() by: Principal) {
    return this.requests.doaExchange(id, by, dto.reason);
  }

  @Post(':id/returns')
  @HttpCode(201)
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Expect the replaced faulty part back (installing a must-return part does this by itself)' })
  @ApiResponse({ status: 201, type: ReturnView })
  @ApiResponse({ status: 409, type: ProblemView, description: 'the part was never shipped, or a return is already expected' })
  requestReturn(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.requests.requestReturn(id, by);
  }
}
