import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, PageQuery, Principal, Roles } from '@aftersales/platform';
import { ProblemView } from '../catalog/catalog.dto';
import {
  CreateDepotDto,
  DepotListQuery,
  DepotPage,
  DepotReportPage,
  DepotView,
  InboundDto,
  InboundView,
  MinimumDto,
  StockInDto,
  StockListQuery,
  StockPage,
  StockView,
} from './depots.dto';
import { DepotsService } from './depots.service';

const STAFF = ['agent', 'engineer', 'manager', 'admin'] as const;

/** Regional depots and their stock. Staff see their region's depots (an admin all); a depot elsewhere is 404. */
@ApiTags('depots')
@ApiBearerAuth()
@Controller('depots')
export class DepotsController {
  constructor(private readonly depots: DepotsService) {}

  @Post()
  @HttpCode(201)
  @Roles('manager', 'admin')
  @ApiResponse({ status: 201, type: DepotView })
  @ApiResponse({ status: 403, type: ProblemView, description: 'a manager adds depots of their own region only' })
  @ApiResponse({ status: 409, type: ProblemView, description: 'the id exists, or the region has a home depot already' })
  create(@Body() dto: CreateDepotDto, @CurrentPrincipal() by: Principal) {
    return this.depots.create(dto, by);
  }

  @Get()
  @Roles(...STAFF)
  @ApiOkResponse({ type: DepotPage })
  list(@Query() q: DepotListQuery, @CurrentPrincipal() by: Principal) {
    return this.depots.list(by, q.region, q.limit, q.offset);
  }

  @Get(':id')
  @Roles(...STAFF)
  @ApiOkResponse({ type: DepotView })
  @ApiResponse({ status: 404, type: ProblemView })
  get(@Param('id') id: string, @CurrentPrincipal() by: Principal) {
    return this.depots.visible(id, by);
  }

  @Get(':id/stock')
  @Roles(...STAFF)
  @ApiOkResponse({ type: StockPage })
  stock(@Param('id') id: string, @Query() q: StockListQuery, @CurrentPrincipal() by: Principal) {
    return this.depots.stock(id, by, q.belowMinimum ?? false, q.limit, q.offset);
  }

  @Get(':id/stock/:partNumber')
  @Roles(...STAFF)
  @ApiOkResponse({ type: StockView })
  @ApiResponse({ status: 404, type: ProblemView })
  stockOf(@Param('id') id: string, @Param('partNumber') partNumber: string, @CurrentPrincipal() by: Principal) {
    return this.depots.stockOf(id, partNumber, by);
  }

  /** Below the minimum → `spares.stock.below-minimum.v1` and the low-stock metric (once per crossing). */
  @Put(':id/stock/:partNumber/minimum')
  @Roles('manager', 'admin')
  @ApiOkResponse({ type: StockView })
  @ApiResponse({ status: 422, type: ProblemView, description: 'unknown part' })
  minimum(@Param('id') id: string, @Param('partNumber') partNumber: string, @Body() dto: MinimumDto, @CurrentPrincipal() by: Principal) {
    return this.depots.setMinimum(id, partNumber, dto.minLevel, by);
  }

  @Post(':id/stock-in')
  @HttpCode(201)
  @Roles('manager', 'admin')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiResponse({ status: 201, type: StockView })
  @ApiResponse({ status: 400, type: ProblemView, description: 'quantity below 1 and the like' })
  @ApiResponse({ status: 422, type: ProblemView, description: 'unknown part' })
  async stockIn(
    @Param('id') id: string,
    @Body() dto: StockInDto,
    @CurrentPrincipal() by: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const r = await this.depots.stockIn(id, dto, by, key);
    res.status(r.status);
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return r.body;
  }

  /** Units on their way in (counted in transit; their date is what "out of stock" answers offer). */
  @Post(':id/inbound')
  @HttpCode(201)
  @Roles('manager', 'admin')
  @ApiResponse({ status: 201, type: InboundView })
  announce(@Param('id') id: string, @Body() dto: InboundDto, @CurrentPrincipal() by: Principal) {
    return this.depots.announceInbound(id, dto, by);
  }

  @Get(':id/inbound')
  @Roles(...STAFF)
  @ApiOkResponse({ type: [InboundView] })
  inbound(@Param('id') id: string, @CurrentPrincipal() by: Principal) {
    return this.depots.inbound(id, by);
  }

  @Post(':id/inbound/:inboundId/receipt')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOkResponse({ type: InboundView })
  @ApiResponse({ status: 409, type: ProblemView, description: 'already received' })
  receive(@Param('id') id: string, @Param('inboundId', new ParseUUIDPipe()) inboundId: string, @CurrentPrincipal() by: Principal) {
    return this.depots.receiveInbound(id, inboundId, by);
  }

  /** The daily per-depot stock report (parts below minimum, overdue returns), newest first. */
  @Get(':id/reports')
  @Roles(...STAFF)
  @ApiOkResponse({ type: DepotReportPage })
  reports(@Param('id') id: string, @Query() q: PageQuery, @CurrentPrincipal() by: Principal) {
    return this.depots.reports(id, by, q.limit, q.offset);
  }
}
