import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Clock, CurrentPrincipal, PageOf, PageQuery, Principal, Roles } from '@aftersales/platform';
import { DataSource } from 'typeorm';
import { checkStep, PeriodStep } from '../domain/period';
import { parseWeek } from '../domain/week';
import { BatchesRepository } from '../surveys/batches.repository';
import { conflict } from '../shared/problems';
import { regionOf } from '../shared/scope';
import { Period, PeriodsRepository } from './periods.repository';

export class RegionQuery {
  @ApiPropertyOptional({ description: 'admins only: the region (default: the token’s)' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{0,31}$/, { message: 'region must be lowercase letters, digits and dashes' })
  region?: string;
}

export class PeriodListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'admins only: the region (default: the token’s)' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{0,31}$/, { message: 'region must be lowercase letters, digits and dashes' })
  region?: string;
}

export class ReviewDto {
  @ApiPropertyOptional({ description: 'what the review found (low-score cases, sanctions proposed)', maxLength: 4000 })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  note?: string;
}

export class PeriodView {
  @ApiProperty() region: string;
  @ApiProperty({ example: '2026-W49' }) week: string;
  @ApiProperty({ enum: ['open', 'reviewed', 'signed-off', 'archived'] }) state: string;
  @ApiProperty({ nullable: true, type: String }) reviewNote: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewedBy: string | null;
  @ApiProperty({ nullable: true, type: Date }) reviewedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) signedOffBy: string | null;
  @ApiProperty({ nullable: true, type: Date }) signedOffAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) archivedBy: string | null;
  @ApiProperty({ nullable: true, type: Date }) archivedAt: Date | null;
}

function requireWeek(week: string): string {
  if (!parseWeek(week)) throw new NotFoundException(`no survey period ${week} (weeks look like 2026-W49)`);
  return week;
}

/**
 * A region's survey week as a period (seed 000 §4.4, §4.6): the engineering manager reviews it and
 * signs it off, then it is archived; an archived period refuses every change (409).
 */
@ApiTags('periods')
@ApiBearerAuth()
@Controller('periods')
export class PeriodsController {
  constructor(
    private readonly periods: PeriodsRepository,
    private readonly batches: BatchesRepository,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('agent', 'manager', 'admin')
  @ApiResponse({ status: 200, description: 'a page of periods, newest first', type: PageOf(PeriodView) })
  async list(@Query() q: PeriodListQuery, @CurrentPrincipal() by: Principal) {
    return { ...(await this.periods.list(regionOf(by, q.region), q.limit, q.offset)), limit: q.limit, offset: q.offset };
  }

  @Get(':week')
  @Roles('agent', 'manager', 'admin')
  @ApiOperation({ summary: 'The period with its batch: surveys sent and the cases exclusion rules left out' })
  @ApiResponse({ status: 200, type: PeriodView })
  @ApiResponse({ status: 404, description: 'no batch ran for that week in the region' })
  async get(@Param('week') week: string, @Query() q: RegionQuery, @CurrentPrincipal() by: Principal) {
    const region = regionOf(by, q.region);
    const p = await this.periods.get(region, requireWeek(week));
    if (!p) throw new NotFoundException(`no survey period ${week} in ${region}`);
    const [batch] = (await this.batches.ofRegion(region, week)).items;
    return { ...p, batch: batch ?? null };
  }

  @Post(':week/review')
  @HttpCode(200)
  @Roles('manager')
  @ApiOperation({ summary: 'The engineering manager reviewed the week’s results' })
  @ApiResponse({ status: 200, type: PeriodView })
  @ApiResponse({ status: 409, description: 'not open (the states go open → reviewed → signed-off → archived)' })
  review(@Param('week') week: string, @Body() dto: ReviewDto, @Query() q: RegionQuery, @CurrentPrincipal() by: Principal) {
    return this.step(by, q.region, week, 'review', dto.note);
  }

  @Post(':week/sign-off')
  @HttpCode(200)
  @Roles('manager')
  @ApiOperation({ summary: 'The engineering manager signs the reviewed week off' })
  @ApiResponse({ status: 200, type: PeriodView })
  @ApiResponse({ status: 409, description: 'not reviewed yet, or already signed off' })
  signOff(@Param('week') week: string, @Query() q: RegionQuery, @CurrentPrincipal() by: Principal) {
    return this.step(by, q.region, week, 'sign-off');
  }

  @Post(':week/archive')
  @HttpCode(200)
  @Roles('agent', 'manager')
  @ApiOperation({ summary: 'Archives the signed-off week: from now on nothing in it changes' })
  @ApiResponse({ status: 200, type: PeriodView })
  @ApiResponse({ status: 409, description: 'not signed off yet, or already archived' })
  archive(@Param('week') week: string, @Query() q: RegionQuery, @CurrentPrincipal() by: Principal) {
    return this.step(by, q.region, week, 'archive');
  }

  private step(by: Principal, askedRegion: string | undefined, week: string, step: PeriodStep, note?: string): Promise<Period> {
    const region = regionOf(by, askedRegion);
    requireWeek(week);
    return this.dataSource.transaction(async (m) => {
      const p = await this.periods.get(region, week, m, true);
      if (!p) throw new NotFoundException(`no survey period ${week} in ${region}`);
      const check = checkStep(p.state, step);
      if (!check.ok) throw conflict(check.reason, { state: p.state });
      await this.periods.saveStep(m, p, check.to, by.subject, this.clock.now(), note);
      return (await this.periods.get(region, week, m))!;
    });
  }
}
