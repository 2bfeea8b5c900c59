import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@aftersales/platform';
import { RegionQuery } from '../periods/periods.controller';
import { regionOf } from '../shared/scope';
import { BatchesRepository } from './batches.repository';
import { SurveyBatch } from './survey-batch';

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
  @ApiResponse({ status: 200, description: 'the last 52 batches of the region, newest first, with the excluded cases' })
  async list(@Query() q: RegionQuery, @CurrentPrincipal() by: Principal) {
    return { items: await this.batches.ofRegion(regionOf(by, q.region)) };
  }

  @Post('run-due')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Runs the batches that are due now and did not run (the timer does this every SURVEY_BATCH_CHECK_MS)' })
  @ApiResponse({ status: 200, description: 'what this call ran (nothing when another replica already did)' })
  async runDue() {
    return { runs: await this.batch.runDue() };
  }
}
