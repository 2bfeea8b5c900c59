import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, PageOf, Principal, Roles } from '@aftersales/platform';
import {
  CaseReportRow,
  EngineersReportView,
  RangeReportQuery,
  RegionsReportView,
  TrendView,
  WeekReportQuery,
  WeekSummaryView,
} from './reports.dto';
import { ReportsService } from './reports.service';

function csv(res: Response, name: string, body: string): string {
  res.type('text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
  return body;
}

/** Satisfaction reports for staff of the region (admins: any region); `format=csv` exports them. */
@ApiTags('reports')
@ApiBearerAuth()
@Roles('agent', 'manager', 'admin')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('weeks/:week/cases')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'Per case (the seed’s report): case number, customer, case owner, escalation owner, item scores, callback' })
  @ApiResponse({
    status: 200,
    type: PageOf(CaseReportRow),
    description: 'a page (`items`, `total`, `limit`, `offset`), or CSV of the whole week',
  })
  async cases(
    @Param('week') week: string,
    @Query() q: WeekReportQuery,
    @CurrentPrincipal() by: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const rows = await this.reports.cases(by, q.region, week);
    if (q.format === 'csv') return csv(res, `survey-${week}-cases`, this.reports.casesCsv(rows));
    return { items: rows.slice(q.offset, q.offset + q.limit), total: rows.length, limit: q.limit, offset: q.offset };
  }

  @Get('weeks/:week')
  @ApiOperation({
    summary: 'One week: response rate, average and distribution per item, callbacks (open, overdue, outcomes), period state',
  })
  @ApiResponse({ status: 200, type: WeekSummaryView })
  @ApiResponse({ status: 404, description: 'no batch ran for that week in the region' })
  week(@Param('week') week: string, @Query() q: WeekReportQuery, @CurrentPrincipal() by: Principal) {
    return this.reports.weekSummary(by, q.region, week);
  }

  @Get('weeks')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'Week by week with the trend: each week’s averages and response rate against the week before' })
  @ApiResponse({ status: 200, type: TrendView, description: '`weeks`: summary, averageChange, responseRateChange, itemChange' })
  @ApiResponse({ status: 422, description: '`from` after `to`, or more than 104 weeks' })
  async weeks(@Query() q: RangeReportQuery, @CurrentPrincipal() by: Principal, @Res({ passthrough: true }) res: Response) {
    const t = await this.reports.trend(by, q);
    const rows = t.weeks.map((w) => ({ key: [w.week], summary: w.summary }));
    return q.format === 'csv' ? csv(res, `survey-weeks-${t.from}-${t.to}`, this.reports.summaryCsv(['week'], rows)) : t;
  }

  @Get('engineers')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'Per engineer (the case owner): surveys, response rate, averages and distributions per item' })
  @ApiResponse({ status: 200, type: EngineersReportView, description: '`engineers`: engineerId, engineerName and the summary' })
  async engineers(@Query() q: RangeReportQuery, @CurrentPrincipal() by: Principal, @Res({ passthrough: true }) res: Response) {
    const r = await this.reports.engineers(by, q);
    const rows = r.engineers.map((e) => ({ key: [e.engineerId, e.engineerName], summary: e }));
    return q.format === 'csv'
      ? csv(res, `survey-engineers-${r.from}-${r.to}`, this.reports.summaryCsv(['engineer id', 'engineer'], rows))
      : r;
  }

  @Get('regions')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'Per region (staff: their own; admins: every region)' })
  @ApiResponse({ status: 200, type: RegionsReportView, description: '`regions`: region and the summary' })
  async regions(@Query() q: RangeReportQuery, @CurrentPrincipal() by: Principal, @Res({ passthrough: true }) res: Response) {
    const r = await this.reports.regions(by, q);
    const rows = r.regions.map((g) => ({ key: [g.region], summary: g }));
    return q.format === 'csv' ? csv(res, `survey-regions-${r.from}-${r.to}`, this.reports.summaryCsv(['region'], rows)) : r;
  }
}
