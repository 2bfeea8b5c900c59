import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@aftersales/platform';
import type { Response } from 'express';
import { toCsv } from '../domain/reports';
import { ReportQuery, SatisfactionQuery } from './reports.dto';
import { ReportsService, Table } from './reports.service';
import { ReportTableView } from '../api/contract-views';

const send = (t: Table, q: ReportQuery, res: Response) => {
  if (q.format !== 'csv') return t;
  res.type('text/csv');
  return toCsv(
    t.columns,
    t.rows.map((r) => t.columns.map((c) => r[c])),
  );
};

const TABLE = { type: ReportTableView, description: '{ columns, rows } (format=csv: the same as CSV with a header line)' };

/** What management watches (domain §10): per region, per week or month, JSON or CSV. Managers see their region, admins any. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
@Roles('manager', 'admin')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('cases')
  @ApiOperation({
    summary: 'Cases opened per period and severity: response, diagnosis, resolution p50/p90 (minutes), first-call resolution',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse(TABLE)
  async cases(@Query() q: ReportQuery, @CurrentPrincipal() by: Principal, @Res({ passthrough: true }) res: Response) {
    return send(await this.reports.cases(q, by), q, res);
  }

  @Get('sla')
  @ApiOperation({ summary: 'SLA attainment and breaches per period, severity and target (clocks started in the period)' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse(TABLE)
  async sla(@Query() q: ReportQuery, @CurrentPrincipal() by: Principal, @Res({ passthrough: true }) res: Response) {
    return send(await this.reports.sla(q, by), q, res);
  }

  @Get('escalations')
  @ApiOperation({ summary: 'Escalation rungs fired per period, severity and rung' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse(TABLE)
  async escalations(@Query() q: ReportQuery, @CurrentPrincipal() by: Principal, @Res({ passthrough: true }) res: Response) {
    return send(await this.reports.escalations(q, by), q, res);
  }

  @Get('backlog')
  @ApiOperation({ summary: 'Open cases now by severity and age' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse(TABLE)
  async backlog(@Query() q: ReportQuery, @CurrentPrincipal() by: Principal, @Res({ passthrough: true }) res: Response) {
    return send(await this.reports.backlog(q, by), q, res);
  }

  @Get('spares')
  @ApiOperation({ summary: 'Part deliveries (reserved → delivered hours p50/p90, late) and stock-outs per period and part class' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse(TABLE)
  async spares(@Query() q: ReportQuery, @CurrentPrincipal() by: Principal, @Res({ passthrough: true }) res: Response) {
    return send(await this.reports.spares(q, by), q, res);
  }

  @Get('satisfaction')
  @ApiOperation({ summary: 'Survey scores per engineer, region or item; callbacks done; complaints' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse(TABLE)
  async satisfaction(@Query() q: SatisfactionQuery, @CurrentPrincipal() by: Principal, @Res({ passthrough: true }) res: Response) {
    return send(await this.reports.satisfaction(q, by), q, res);
  }
}
