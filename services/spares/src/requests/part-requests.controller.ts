import { Body, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
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
import { answer, IdempotentCreate, MANAGERS, Move, Read, SparesApi, STAFF, uuid } from '../shared/http';

const ILLEGAL = 'not allowed in the request’s state: `allowed` lists what is';

/**
 * Part requests of cases. Staff see the requests of their region and those served from their
 * region's depots (whose manager approves cross-region transfers); anything else is 404.
 */
@SparesApi('part requests', 'part-requests')
export class PartRequestsController {
  constructor(private readonly requests: PartRequestsService) {}

  @IdempotentCreate(undefined, STAFF)
  @ApiOperation({
    summary: 'Request parts for a case: held at the best depot (own region first; another region’s after its manager approves)',
  })
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
    return answer(res, await this.requests.create(dto, by, key));
  }

  @Read(undefined, PartRequestPage)
  list(@Query() q: PartRequestQuery, @CurrentPrincipal() by: Principal) {
    return this.requests.list(by, { caseId: q.caseId, state: q.state, depotId: q.depotId }, q.limit, q.offset);
  }

  @Read(':id', PartRequestView, { notFound: true })
  get(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.requests.get(id, by);
  }

  @Read(':id/history', [RequestMoveView])
  history(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.requests.history(id, by);
  }

  @Move(':id/approve', PartRequestView, { conflict: ILLEGAL, roles: MANAGERS })
  @ApiOperation({ summary: 'The depot region’s manager approves a cross-region transfer' })
  @ApiResponse({ status: 403, type: ProblemView, description: 'not a manager of the depot’s region' })
  approve(@Param('id', uuid) id: string, @Body() dto: OptionalReasonDto, @CurrentPrincipal() by: Principal) {
    return this.requests.approve(id, by, dto.reason);
  }

  @Move(':id/reject', PartRequestView, { conflict: ILLEGAL, roles: MANAGERS })
  reject(@Param('id', uuid) id: string, @Body() dto: ReasonDto, @CurrentPrincipal() by: Principal) {
    return this.requests.reject(id, by, dto.reason);
  }

  @Move(':id/pick', PartRequestView, { conflict: ILLEGAL })
  pick(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.requests.pick(id, by);
  }

  @Move(':id/ship', PartRequestView, { conflict: 'out of order, or more than reserved' })
  @ApiResponse({ status: 400, type: ProblemView, description: 'neither carrier with tracking number nor courier' })
  ship(@Param('id', uuid) id: string, @Body() dto: ShipDto, @CurrentPrincipal() by: Principal) {
    return this.requests.ship(id, dto, by);
  }

  @Move(':id/deliver', PartRequestView, { conflict: ILLEGAL })
  @ApiOperation({ summary: 'Delivered to the site; later than neededBy raises spares.delivery.late.v1' })
  deliver(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.requests.deliver(id, by);
  }

  @Move(':id/install', PartRequestView, { conflict: ILLEGAL })
  @ApiOperation({ summary: 'Installed; a part that must come back makes the faulty one owed to the depot' })
  install(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.requests.install(id, by);
  }

  @Move(':id/cancel', PartRequestView, { conflict: ILLEGAL })
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
