import { applyDecorators, Controller, Get, Query, Res, Type } from '@nestjs/common';
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

/** One report: its route (also the method and operation name), what it shows, its query class. */
interface Report {
  name: 'cases' | 'sla' | 'escalations' | 'backlog' | 'spares' | 'satisfaction';
  summary: string;
  query: Type<ReportQuery>;
}

const REPORTS: Report[] = [
  {
    name: 'cases',
    summary: 'Cases opened per period and severity: response, diagnosis, resolution p50/p90 (minutes), first-call resolution',
    query: ReportQuery,
  },
  {
    name: 'sla',
    summary: 'SLA attainment and breaches per period, severity and target (clocks started in the period)',
    query: ReportQuery,
  },
  { name: 'escalations', summary: 'Escalation rungs fired per period, severity and rung', query: ReportQuery },
  { name: 'backlog', summary: 'Open cases now by severity and age', query: ReportQuery },
  {
    name: 'spares',
    summary: 'Part deliveries (reserved → delivered hours p50/p90, late) and stock-outs per period and part class',
    query: ReportQuery,
  },
  { name: 'satisfaction', summary: 'Survey scores per engineer, region or item; callbacks done; complaints', query: SatisfactionQuery },
];

/** What management watches (domain §10): per region, per week or month, JSON or CSV. Managers see their region, admins any. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
@Roles('manager', 'admin')
export class ReportsController {
  constructor(readonly reports: ReportsService) {}
}

/** `GET /reports/<name>` for each report: the same handler, documented and validated with the report's own query. */
for (const r of REPORTS) {
  const proto = ReportsController.prototype as unknown as Record<string, unknown>;
  async function handler(this: ReportsController, q: SatisfactionQuery, by: Principal, res: Response) {
    return send(await this.reports[r.name](q, by), q, res);
  }
  Object.defineProperty(handler, 'name', { value: r.name });
  const method = { value: handler, writable: true, enumerable: false, configurable: true };
  Object.defineProperty(proto, r.name, method);
  Query()(proto, r.name, 0);
  CurrentPrincipal()(proto, r.name, 1);
  Res({ passthrough: true })(proto, r.name, 2);
  Reflect.defineMetadata('design:paramtypes', [r.query, Object, Object], proto, r.name);
  const route = applyDecorators(
    Get(r.name),
    ApiOperation({ summary: r.summary }),
    ApiProduces('application/json', 'text/csv'),
    ApiOkResponse(TABLE),
  );
  route(proto, r.name, method);
}
