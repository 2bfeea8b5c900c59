import { Inject, Injectable } from '@nestjs/common';
import { Severity } from '@aftersales/contracts';
import { labelProduct, PlatformMetrics, ScrapedGauges, zeroSeries } from '@aftersales/observability';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { Counter, Gauge } from 'prom-client';
import { OPEN } from '../domain/case-lifecycle';
import { ServiceConfig } from '@aftersales/config';
import { DataSource } from 'typeorm';

/**
 * What the SLA dashboard shows of cases (names as deploy/prometheus reads them): cases opened,
 * counted once a case's transaction committed, and cases open now (and open without an owner) by
 * severity and region, counted from the table when Prometheus scrapes (at most every 10 s).
 * Labels are bounded: four severities, a handful of regions; every series of the service's own
 * region exists at 0 from the start, so the first case shows in increase().
 */
@Injectable()
export class CaseMetrics {
  private readonly opened: Counter<'severity' | 'region'>;
  private readonly open: Gauge<'severity' | 'region'>;
  private readonly unassigned: Gauge<'severity' | 'region'>;
  private readonly scraped = new ScrapedGauges(() => this.load());
  private readonly zeros: Array<Record<'severity' | 'region', string>>;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly dataSource: DataSource,
    private readonly metrics: PlatformMetrics,
  ) {
    const registers = [metrics.registry];
    const scraped = this.scraped;
    const collect = async () => {
      await scraped.refresh();
    };
    this.zeros = labelProduct({ severity: Severity.options, region: [config.region] });
    this.opened = new Counter({
      name: 'aftersales_cases_opened_total',
      help: 'Cases opened, by severity and region',
      labelNames: ['severity', 'region'],
      registers,
    });
    zeroSeries(this.opened, this.zeros);
    this.open = new Gauge({
      name: 'aftersales_cases_open',
      help: 'Cases not yet resolved, confirmed or closed, by severity and region',
      labelNames: ['severity', 'region'],
      registers,
      collect,
    });
    this.unassigned = new Gauge({
      name: 'aftersales_cases_unassigned',
      help: 'Open cases without an owner (nobody fitting had room), by severity and region',
      labelNames: ['severity', 'region'],
      registers,
      collect,
    });
  }

  caseOpened(severity: string, region: string): void {
    this.opened.inc({ severity, region });
  }

  private async load(): Promise<void> {
    const rows: Array<{ severity: string; region: string; n: number; unassigned: number }> = await this.dataSource.query(
      `SELECT severity, region, count(*)::int AS n, count(*) FILTER (WHERE assignee_id IS NULL)::int AS unassigned
         FROM "${this.config.database.schema}".cases
        WHERE status = ANY($1::text[]) GROUP BY 1, 2`,
      [OPEN],
    );
    for (const g of [this.open, this.unassigned]) {
      g.reset();
      for (const z of this.zeros) g.set(z, 0);
    }
    for (const r of rows) {
      this.open.set({ severity: r.severity, region: r.region }, r.n);
      this.unassigned.set({ severity: r.severity, region: r.region }, r.unassigned);
    }
  }
}
