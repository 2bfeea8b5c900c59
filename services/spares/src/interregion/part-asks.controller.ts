import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { Envelope, OnEvent } from '@aftersales/messaging';
import { CurrentPrincipal, PageQuery, Principal, Roles, SERVICE_CONFIG } from '@aftersales/platform';
import { Inject } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { TxContext } from '../shared/tx';
import { ProblemView } from '../catalog/catalog.dto';
import { CreatePartAskDto, PartAskPage, PartAskView } from './part-asks.dto';
import { PartAsksService } from './part-asks.service';
import { Read, SparesApi, STAFF, uuid } from '../shared/http';

/**
 * Parts asked of another region's deployment over the interregion topic. The asked region's
 * manager answers through the ordinary part request (`POST /part-requests/{requestId}/approve`).
 */
@SparesApi('interregion', 'part-asks')
export class PartAsksController {
  constructor(
    private readonly asks: PartAsksService,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Ask another region (its own deployment) for a part for a case of this region' })
  @ApiResponse({ status: 201, type: PartAskView, description: '`requested`: sent over the interregion topic' })
  @ApiResponse({ status: 400, type: ProblemView, description: 'a field is missing or wrong' })
  @ApiResponse({ status: 422, type: ProblemView, description: 'unknown case, the case’s own region, or a past neededBy' })
  create(@Body() dto: CreatePartAskDto, @CurrentPrincipal() by: Principal) {
    return this.asks.ask(dto, by);
  }

  @Get()
  @Roles(...STAFF)
  @ApiOkResponse({ type: PartAskPage, description: 'asks this region sent or received' })
  list(@Query() q: PageQuery, @CurrentPrincipal() by: Principal) {
    return this.asks.list(by, q.limit, q.offset);
  }

  @Read(':id', PartAskView, { notFound: true })
  get(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.asks.get(id, by);
  }

  // ---- over the interregion topic: each region acts only on what is addressed to it -----------

  @OnEvent('spares.part-ask.requested.v1', { consumer: 'spares.part-ask.requested' })
  async onRequested(e: Envelope<'spares.part-ask.requested.v1'>, { manager, afterCommit }: TxContext): Promise<void> {
    if (e.data.toRegion === this.config.region) await this.asks.onRequested(manager, e, afterCommit);
  }

  @OnEvent('spares.part-ask.answered.v1', { consumer: 'spares.part-ask.answered' })
  async onAnswered(e: Envelope<'spares.part-ask.answered.v1'>, { manager, afterCommit }: TxContext): Promise<void> {
    if (e.data.fromRegion === this.config.region) await this.asks.onAnswered(manager, e, afterCommit);
  }

  @OnEvent('spares.part-ask.progressed.v1', { consumer: 'spares.part-ask.progressed' })
  async onProgressed(e: Envelope<'spares.part-ask.progressed.v1'>, { manager, afterCommit }: TxContext): Promise<void> {
    if (e.data.fromRegion === this.config.region) await this.asks.onProgressed(manager, e, afterCommit);
  }
}
