import { Inject, Injectable } from '@nestjs/common';
import { Severity } from '@aftersales/contracts';
import { ServiceConfig } from '@aftersales/config';
import { Clock, SERVICE_CONFIG } from '@aftersales/platform';
import { MetricFactory, PlatformMetrics, ScrapedGauges } from '@aftersales/observability';
import { DataSource } from 'typeorm';
import { Counter, Gauge, Histogram } from 'prom-client';
import { AGE_BUCKETS, ageBucket } from '../domain/reports';
import { ReportsRepository } from './reports.repository';

/** 1 min … 7 days: a P1 answered in minutes and a P4 resolved in a week on one scale. */
const BUCKETS = [60, 300, 600, 1800, 3600, 7200, 14_400, 28_800, 43_200, 86_400, 172_800, 345_600, 604_800];

/**
 * The figures of the reports as metrics for the Grafana SLA boards (names `aftersales_case_*`):
 * time to respond, diagnose and resolve per severity, resolutions with or without first-call,
 * complaints, spare-part delivery times, and the backlog by severity and age. Labels bounded (four severities, five ages, the
 * service's regions, first_call true/false); every counter and histogram exists at 0 from the start.
 */
@Injectable()
export class ReportMetrics {
  readonly response: Histogram<'severity' | 'region'>;
  readonly diagnosis: Histogram<'severity' | 'region'>;
  readonly resolution: Histogram<'severity' | 'region'>;
  readonly resolutions: Counter<'severity' | 'region' | 'first_call'>;
  readonly complaints: Counter<'region'>;
  readonly partDelivery: Histogram<'region' | 'late'>;
  private readonly backlog: Gauge<'severity' | 'age' | 'region'>;
  private readonly scraped = new ScrapedGauges(() => this.load());

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    metrics: PlatformMetrics,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly repo: ReportsRepository,
  ) {
    const scraped = this.scraped;
    const mf = new MetricFactory(metrics.registry, () => scraped.refresh());
    const histogram = (what: string, help: string) =>
      mf.histogram(`aftersales_case_${what}_seconds`, help, ['severity', 'region'], BUCKETS);
    this.response = histogram('response', 'Time from a case opening to its first response to the customer, by severity');
    this.diagnosis = histogram('diagnosis', 'Time from a case opening to its diagnosis (确诊), by severity');
    this.resolution = histogram('resolution', 'Time from a case opening to its first resolution, by severity');
    this.resolutions = mf.counter(
      'aftersales_case_resolutions_total',
      'Incidents resolved the first time, by severity; first_call="true": by the hotline, without dispatch, escalation or reopen',
      ['severity', 'region', 'first_call'],
    );
    this.complaints = mf.counter('aftersales_case_complaints_total', 'Complaint cases opened', ['region']);
    this.partDelivery = mf.histogram(
      'aftersales_case_part_delivery_seconds',
      'Spare parts for cases: time from reservation to delivery on site, by region and late (after needed-by) or not',
      ['region', 'late'],
      BUCKETS,
    );
    this.backlog = mf.gauge(
      'aftersales_case_backlog',
      'Open incidents and complaints by severity and age (lt-1d, 1-3d, 3-7d, 7-30d, gt-30d)',
      ['severity', 'age', 'region'],
    );
    const region = config.region;
    for (const severity of Severity.options) {
      for (const h of [this.response, this.diagnosis, this.resolution]) h.zero({ severity, region });
      for (const first_call of ['true', 'false']) this.resolutions.inc({ severity, region, first_call }, 0);
    }
    this.complaints.inc({ region }, 0);
    for (const late of ['true', 'false']) this.partDelivery.zero({ region, late });
  }

  private async load(): Promise<void> {
    const open = await this.repo.backlog(this.dataSource.manager, null);
    const now = this.clock.now();
    this.backlog.reset();
    const regions = new Set([this.config.region, ...open.map((c) => c.region)]);
    for (const region of regions)
      for (const severity of Severity.options) for (const age of AGE_BUCKETS) this.backlog.set({ severity, age, region }, 0);
    for (const c of open) this.backlog.inc({ severity: c.severity, age: ageBucket(c.openedAt, now), region: c.region });
  }
}
