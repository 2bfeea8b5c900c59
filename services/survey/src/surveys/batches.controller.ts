import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, PageOf, Principal, Roles } from '@aftersales/platform';
import { PeriodListQuery as BatchListQuery } from '../periods/periods.controller';
import { regionOf } from '../shared/scope';
import { BatchesRepository } from './batches.repository';
import { SurveyBatch } from './survey-batch';
import { BatchRunsView, BatchView } from '../shared/responses';

/** The weekly batches of a region: when they ran, how many surveys, which cases rules left out. */
@ApiTags('batches')
@ApiBearerAuth()
@Controller('batches')
export class BatchesController {
  constructor(
    private readonly batches: BatchesRepository,
    private readonly batch: SurveyBatch,
  ) {}

  @Get()
  @Roles('agent', 'manager', 'admin')
  @ApiResponse({
    status: 200,
    type: PageOf(BatchView),
    description: 'a page of the region’s batches, newest first, with the cases rules left out',
  })
  async list(@Query() q: BatchListQuery, @CurrentPrincipal() by: Principal) {
    return { ...(await this.batches.ofRegion(regionOf(by, q.region), undefined, q.limit, q.offset)), limit: q.limit, offset: q.offset };
  }

  @Post('run-due')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Runs the batches that are due now and did not run (the timer does this every SURVEY_BATCH_CHECK_MS)' })
  @ApiResponse({ status: 200, type: BatchRunsView, description: 'what this call ran (nothing when another replica already did)' })
  async runDue() {
    return { runs: await this.batch.runDue() };
  }
}
