import { Body, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiResponse } from '@nestjs/swagger';
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
import { answer, IdempotentCreate, MANAGERS, Move, Read, SparesApi, uuid } from '../shared/http';

/** Regional depots and their stock. Staff see their region's depots (an admin all); a depot elsewhere is 404. */
@SparesApi('depots', 'depots')
export class DepotsController {
  constructor(private readonly depots: DepotsService) {}

  @Post()
  @HttpCode(201)
  @Roles(...MANAGERS)
  @ApiResponse({ status: 201, type: DepotView })
  @ApiResponse({ status: 403, type: ProblemView, description: 'a manager adds depots of their own region only' })
  @ApiResponse({ status: 409, type: ProblemView, description: 'the id exists, or the region has a home depot already' })
  create(@Body() dto: CreateDepotDto, @CurrentPrincipal() by: Principal) {
    return this.depots.create(dto, by);
  }

  @Read(undefined, DepotPage)
  list(@Query() q: DepotListQuery, @CurrentPrincipal() by: Principal) {
    return this.depots.list(by, q.region, q.limit, q.offset);
  }

  @Read(':id', DepotView, { notFound: true })
  get(@Param('id') id: string, @CurrentPrincipal() by: Principal) {
    return this.depots.visible(id, by);
  }

  @Read(':id/stock', StockPage)
  stock(@Param('id') id: string, @Query() q: StockListQuery, @CurrentPrincipal() by: Principal) {
    return this.depots.stock(id, by, q.belowMinimum ?? false, q.limit, q.offset);
  }

  @Read(':id/stock/:partNumber', StockView, { notFound: true })
  stockOf(@Param('id') id: string, @Param('partNumber') partNumber: string, @CurrentPrincipal() by: Principal) {
    return this.depots.stockOf(id, partNumber, by);
  }

  /** Below the minimum → `spares.stock.below-minimum.v1` and the low-stock metric (once per crossing). */
  @Put(':id/stock/:partNumber/minimum')
  @Roles(...MANAGERS)
  @ApiOkResponse({ type: StockView })
  @ApiResponse({ status: 422, type: ProblemView, description: 'unknown part' })
  minimum(@Param('id') id: string, @Param('partNumber') partNumber: string, @Body() dto: MinimumDto, @CurrentPrincipal() by: Principal) {
    return this.depots.setMinimum(id, partNumber, dto.minLevel, by);
  }

  @IdempotentCreate(':id/stock-in', MANAGERS)
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
    return answer(res, await this.depots.stockIn(id, dto, by, key));
  }

  /** Units on their way in (counted in transit; their date is what "out of stock" answers offer). */
  @Post(':id/inbound')
  @HttpCode(201)
  @Roles(...MANAGERS)
  @ApiResponse({ status: 201, type: InboundView })
  announce(@Param('id') id: string, @Body() dto: InboundDto, @CurrentPrincipal() by: Principal) {
    return this.depots.announceInbound(id, dto, by);
  }

  @Read(':id/inbound', [InboundView])
  inbound(@Param('id') id: string, @CurrentPrincipal() by: Principal) {
    return this.depots.inbound(id, by);
  }

  @Move(':id/inbound/:inboundId/receipt', InboundView, { conflict: 'already received', roles: MANAGERS })
  receive(@Param('id') id: string, @Param('inboundId', uuid) inboundId: string, @CurrentPrincipal() by: Principal) {
    return this.depots.receiveInbound(id, inboundId, by);
  }

  /** The daily per-depot stock report (parts below minimum, overdue returns), newest first. */
  @Read(':id/reports', DepotReportPage)
  reports(@Param('id') id: string, @Query() q: PageQuery, @CurrentPrincipal() by: Principal) {
    return this.depots.reports(id, by, q.limit, q.offset);
  }
}
