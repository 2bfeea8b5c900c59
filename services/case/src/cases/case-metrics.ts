import { Inject, Injectable } from '@nestjs/common';
import { PlatformMetrics, ScrapedGauges } from '@aftersales/observability';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { Counter, Gauge } from 'prom-client';
import { OPEN } from '../domain/case-lifecycle';
import { ServiceConfig } from '@aftersales/config';
import { DataSource } from 'typeorm';

/**
 * What the SLA dashboard shows of cases (names as deploy/prometheus reads them): cases opened,
 * counted once a case's transaction committed, and cases open now by severity and region, counted
 * from the table when Prometheus scrapes (at most every 10 s). Labels are bounded: four
 * severities, a handful of regions.
 */
@Injectable()
export class CaseMetrics {
  private readonly opened: Counter<'severity' | 'region'>;
  private readonly open: Gauge<'severity' | 'region'>;
  private readonly scraped = new ScrapedGauges(() => this.load());

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly dataSource: DataSource,
    private readonly metrics: PlatformMetrics,
  ) {
    const registers = [metrics.registry];
    const scraped = this.scraped;
    this.opened = new Counter({
      name: 'aftersales_cases_opened_total',
      help: 'Cases opened, by severity and region',
      labelNames: ['severity', 'region'],
      registers,
    });
    this.open = new Gauge({
      name: 'aftersales_cases_open',
      help: 'Cases not yet resolved, confirmed or closed, by severity and region',
      labelNames: ['severity', 'region'],
      registers,
      async collect() {
        await scraped.refresh();
      },
    });
  }

  caseOpened(severity: string, region: string): void {
    this.opened.inc({ severity, region });
  }

  private async load(): Promise<void> {
    const rows: Array<{ severity: string; region: string; n: number }> = await this.dataSource.query(
      `SELECT severity, region, count(*)::int AS n FROM "${this.config.database.schema}".cases
        WHERE status = ANY($1::text[]) GROUP BY 1, 2`,
      [OPEN],
    );
    this.open.reset();
    for (const r of rows) this.open.set({ severity: r.severity, region: r.region }, r.n);
  }
}
