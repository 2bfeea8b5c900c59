import { Body, Headers, Param, Put, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '@aftersales/platform';
import { ProblemView } from '../catalog/catalog.dto';
import { ID_RE } from '../depots/depots.dto';
import { badField } from '../shared/problems';
import { RequestMoveView } from '../requests/part-requests.dto';
import {
  CreateRepairOrderDto,
  DiagnoseDto,
  RepairDto,
  RepairOrderPage,
  RepairOrderQuery,
  RepairOrderView,
  DeclineDto,
  RepairTermsDto,
  RepairTermsView,
  ShipBackDto,
} from './repair-orders.dto';
import { RepairOrdersService } from './repair-orders.service';
import { answer, IdempotentCreate, MANAGERS, Move, Read, SparesApi, STAFF, STAFF_AND_CUSTOMER, uuid } from '../shared/http';

const ILLEGAL = 'not allowed in the order’s state: `allowed` lists what is';

/** Carry-in and mail-in repair orders. A customer token sees its own orders only (another's is 404) and answers quotes. */
@SparesApi('repair orders')
export class RepairOrdersController {
  constructor(private readonly orders: RepairOrdersService) {}

  @IdempotentCreate('repair-orders', STAFF)
  @ApiOperation({ summary: 'Receive a customer’s unit: condition, accessories, photos; in or out of warranty is decided here' })
  @ApiResponse({ status: 201, type: RepairOrderView })
  @ApiResponse({ status: 422, type: ProblemView, description: 'unknown case, or the warranty cannot be told' })
  async create(
    @Body() dto: CreateRepairOrderDto,
    @CurrentPrincipal() by: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return answer(res, await this.orders.create(dto, by, key));
  }

  @Read('repair-orders', RepairOrderPage, { roles: STAFF_AND_CUSTOMER })
  list(@Query() q: RepairOrderQuery, @CurrentPrincipal() by: Principal) {
    return this.orders.list(by, { state: q.state, caseId: q.caseId }, q.limit, q.offset);
  }

  @Read('repair-orders/:id', RepairOrderView, { notFound: true, roles: STAFF_AND_CUSTOMER })
  get(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.orders.get(id, by);
  }

  @Read('repair-orders/:id/history', [RequestMoveView], { roles: STAFF_AND_CUSTOMER })
  history(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.orders.history(id, by);
  }

  @Move('repair-orders/:id/diagnose', RepairOrderView, { conflict: ILLEGAL })
  diagnose(@Param('id', uuid) id: string, @Body() dto: DiagnoseDto, @CurrentPrincipal() by: Principal) {
    return this.orders.diagnose(id, dto, by);
  }

  @Move('repair-orders/:id/quote', RepairOrderView, { conflict: 'in warranty (free repair, no quote), or out of order' })
  @ApiOperation({ summary: 'Out of warranty only: 12 % (or the contract’s share) of the part’s contract price' })
  quote(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.orders.quote(id, by);
  }

  @Move('repair-orders/:id/accept', RepairOrderView, { conflict: ILLEGAL, roles: STAFF_AND_CUSTOMER })
  accept(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.orders.accept(id, by);
  }

  @Move('repair-orders/:id/decline', RepairOrderView, { conflict: ILLEGAL, roles: STAFF_AND_CUSTOMER })
  decline(@Param('id', uuid) id: string, @Body() dto: DeclineDto, @CurrentPrincipal() by: Principal) {
    return this.orders.decline(id, by, dto.reason);
  }

  @Move('repair-orders/:id/repair', RepairOrderView, { conflict: ILLEGAL })
  repair(@Param('id', uuid) id: string, @Body() dto: RepairDto, @CurrentPrincipal() by: Principal) {
    return this.orders.repair(id, dto.notes, by);
  }

  @Move('repair-orders/:id/ship-back', RepairOrderView, { conflict: ILLEGAL })
  @ApiResponse({ status: 400, type: ProblemView, description: 'mail-in needs carrier and tracking number, carry-in who collected it' })
  shipBack(@Param('id', uuid) id: string, @Body() dto: ShipBackDto, @CurrentPrincipal() by: Principal) {
    return this.orders.shipBack(id, dto, by);
  }

  @Put('contracts/:contractId/repair-terms')
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'The contract’s out-of-warranty repair quote share (default SPARES_REPAIR_QUOTE_PERCENT)' })
  @ApiOkResponse({ type: RepairTermsView })
  terms(@Param('contractId') contractId: string, @Body() dto: RepairTermsDto, @CurrentPrincipal() by: Principal) {
    if (!ID_RE.test(contractId)) throw badField('contractId', 'contractId is not a contract id');
    return this.orders.setTerms(contractId, dto.quotePercent, by);
  }
}
