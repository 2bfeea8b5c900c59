import { Inject, Injectable } from '@nestjs/common';
import { PlatformMetrics, ScrapedGauges } from '@aftersales/observability';
import { Clock, SERVICE_CONFIG } from '@aftersales/platform';
import { Gauge } from 'prom-client';
import { ServiceConfig } from '@aftersales/config';
import { DataSource } from 'typeorm';

/**
 * Open clocks by severity / target / region / running-or-paused, and the at-risk view: running
 * clocks by time left to the ladder target's breach (`due_at`, as planned at start; pauses push
 * the real breach later, so this errs on the side of alarm). Labels are bounded: four severities,
 * a handful of targets and regions, fixed buckets. Named as the SLA dashboard and the recording
 * rules (deploy/prometheus) read them. Counted once per 10 s, however often Prometheus asks.
 */
@Injectable()
export class ClockGauges {
  private readonly scraped = new ScrapedGauges(() => this.load());

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly dataSource: DataSource,
    private readonly metrics: PlatformMetrics,
    private readonly clock: Clock,
  ) {
    const registers = [metrics.registry];
    const scraped = this.scraped;
    const open = new Gauge({
      name: 'aftersales_sla_clocks_open',
      help: 'SLA clocks not stopped, by severity, target, region and state (running or paused)',
      labelNames: ['severity', 'target', 'region', 'state'],
      registers,
      async collect() {
        await scraped.refresh();
      },
    });
    const atRisk = new Gauge({
      name: 'aftersales_sla_at_risk',
      help: 'Running SLA clocks by time left to breach of the ladder target: breached, lt_15m, lt_1h, lt_4h, later',
      labelNames: ['severity', 'region', 'bucket'],
      registers,
    });
    this.open = open;
    this.atRisk = atRisk;
  }

  private readonly open: Gauge<'severity' | 'target' | 'region' | 'state'>;
  private readonly atRisk: Gauge<'severity' | 'region' | 'bucket'>;

  private async load(): Promise<void> {
    const s = this.config.database.schema;
    const open: Array<{ severity: string; target: string; region: string; paused: boolean; n: number }> = await this.dataSource.query(
      `SELECT severity, target, region, paused_since IS NOT NULL AS paused, count(*)::int AS n
         FROM "${s}".sla_clocks WHERE state = 'running' GROUP BY 1, 2, 3, 4`,
    );
    this.open.reset();
    for (const r of open)
      this.open.set({ severity: r.severity, target: r.target, region: r.region, state: r.paused ? 'paused' : 'running' }, r.n);
    const risk: Array<{ severity: string; region: string; bucket: string; n: number }> = await this.dataSource.query(
      `SELECT severity, region,
              CASE WHEN due_at <= $1::timestamptz THEN 'breached'
                   WHEN due_at <= $1::timestamptz + interval '15 minutes' THEN 'lt_15m'
                   WHEN due_at <= $1::timestamptz + interval '1 hour' THEN 'lt_1h'
                   WHEN due_at <= $1::timestamptz + interval '4 hours' THEN 'lt_4h'
                   ELSE 'later' END AS bucket,
              count(*)::int AS n
         FROM "${s}".sla_clocks WHERE state = 'running' AND paused_since IS NULL GROUP BY 1, 2, 3`,
      [this.clock.now()],
    );
    this.atRisk.reset();
    for (const r of risk) this.atRisk.set({ severity: r.severity, region: r.region, bucket: r.bucket }, r.n);
  }
}
