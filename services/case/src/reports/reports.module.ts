import { Module } from '@nestjs/common';
import { ReportFactsHandler } from './report-facts.handler';
import { ReportMetrics } from './report-metrics';
import { ReportMetricsHandler } from './report-metrics.handler';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

/**
 * Management read models and SLA-board metrics (domain §10). In the case service because most
 * figures are the case's own facts (lifecycle times, first-call resolution, backlog, complaints);
 * escalation, spares and survey facts arrive as events and are kept in its own report tables.
 */
@Module({
  controllers: [ReportsController, ReportFactsHandler, ReportMetricsHandler],
  providers: [ReportsRepository, ReportsService, ReportMetrics],
})
export class ReportsModule {}
