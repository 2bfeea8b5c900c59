import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
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

const STAFF = ['agent', 'engineer', 'manager', 'admin'] as const;
const uuid = new ParseUUIDPipe();
const ILLEGAL = { status: 409, type: ProblemView, description: 'not allowed in the order’s state: `allowed` lists what is' } as const;

/** Carry-in and mail-in repair orders. A customer token sees its own orders only (another's is 404) and answers quotes. */
@ApiTags('repair orders')
@ApiBearerAuth()
@Controller()
export class RepairOrdersController {
  constructor(private readonly orders: RepairOrdersService) {}

  @Post('repair-orders')
  @HttpCode(201)
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Receive a customer’s unit: condition, accessories, photos; in or out of warranty is decided here' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiResponse({ status: 201, type: RepairOrderView })
  @ApiResponse({ status: 422, type: ProblemView, description: 'unknown case, or the warranty cannot be told' })
  async create(
    @Body() dto: CreateRepairOrderDto,
    @CurrentPrincipal() by: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const r = await this.orders.create(dto, by, key);
    res.status(r.status);
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return r.body;
  }

  @Get('repair-orders')
  @Roles(...STAFF, 'customer')
  @ApiOkResponse({ type: RepairOrderPage })
  list(@Query() q: RepairOrderQuery, @CurrentPrincipal() by: Principal) {
    return this.orders.list(by, { state: q.state, caseId: q.caseId }, q.limit, q.offset);
  }

  @Get('repair-orders/:id')
  @Roles(...STAFF, 'customer')
  @ApiOkResponse({ type: RepairOrderView })
  @ApiResponse({ status: 404, type: ProblemView })
  get(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.orders.get(id, by);
  }

  @Get('repair-orders/:id/history')
  @Roles(...STAFF, 'customer')
  @ApiOkResponse({ type: [RequestMoveView] })
  history(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.orders.history(id, by);
  }

  @Post('repair-orders/:id/diagnose')
  @HttpCode(200)
  @Roles(...STAFF)
  @ApiOkResponse({ type: RepairOrderView })
  @ApiResponse(ILLEGAL)
  diagnose(@Param('id', uuid) id: string, @Body() dto: DiagnoseDto, @CurrentPrincipal() by: Principal) {
    return this.orders.diagnose(id, dto, by);
  }

  @Post('repair-orders/:id/quote')
  @HttpCode(200)
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Out of warranty only: 12 % (or the contract’s share) of the part’s contract price' })
  @ApiOkResponse({ type: RepairOrderView })
  @ApiResponse({ status: 409, type: ProblemView, description: 'in warranty (free repair, no quote), or out of order' })
  quote(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.orders.quote(id, by);
  }

  @Post('repair-orders/:id/accept')
  @HttpCode(200)
  @Roles(...STAFF, 'customer')
  @ApiOkResponse({ type: RepairOrderView })
  @ApiResponse(ILLEGAL)
  accept(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.orders.accept(id, by);
  }

  @Post('repair-orders/:id/decline')
  @HttpCode(200)
  @Roles(...STAFF, 'customer')
  @ApiOkResponse({ type: RepairOrderView })
  @ApiResponse(ILLEGAL)
  decline(@Param('id', uuid) id: string, @Body() dto: DeclineDto, @CurrentPrincipal() by: Principal) {
    return this.orders.decline(id, by, dto.reason);
  }

  @Post('repair-orders/:id/repair')
  @HttpCode(200)
  @Roles(...STAFF)
  @ApiOkResponse({ type: RepairOrderView })
  @ApiResponse(ILLEGAL)
  repair(@Param('id', uuid) id: string, @Body() dto: RepairDto, @CurrentPrincipal() by: Principal) {
    return this.orders.repair(id, dto.notes, by);
  }

  @Post('repair-orders/:id/ship-back')
  @HttpCode(200)
  @Roles(...STAFF)
  @ApiOkResponse({ type: RepairOrderView })
  @ApiResponse({ status: 400, type: ProblemView, description: 'mail-in needs carrier and tracking number, carry-in who collected it' })
  @ApiResponse(ILLEGAL)
  shipBack(@Param('id', uuid) id: string, @Body() dto: ShipBackDto, @CurrentPrincipal() by: Principal) {
    return this.orders.shipBack(id, dto, by);
  }

  @Put('contracts/:contractId/repair-terms')
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'The contract’s out-of-warranty repair quote share (default SPARES_REPAIR_QUOTE_PERCENT)' })
  @ApiOkResponse({ type: RepairTermsView })
  terms(@Param('contractId') contractId: string, @Body() dto: RepairTermsDto, @CurrentPrincipal() by: Principal) {
    if (!ID_RE.test(contractId)) throw badField('contractId', 'contractId is not a contract id');
    return this.orders.setTerms(contractId, dto.quotePercent, by);
  }
}
