import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { labelProduct, MetricFactory, PlatformMetrics, ScrapedGauges, zeroSeries } from '@aftersales/observability';
import { Clock, SERVICE_CONFIG } from '@aftersales/platform';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { SEVERITIES, TARGET_KINDS } from '../domain';
import { ClockRepository } from './clock.repository';
import { countSlaMet } from './sla-met';

const RISK_BUCKETS = ['breached', 'lt_15m', 'lt_1h', 'lt_4h', 'later'] as const;

type Labels<K extends string> = Record<K, string>;

/**
 * Open clocks by severity / target / region / running-or-paused, the at-risk view (running
 * clocks by time left to the ladder target's breach, `due_at` as planned at start: pauses push
 * the real breach later, so this errs on the side of alarm), the most urgent running clock's
 * time to breach per severity, and targets met. Labels are bounded: four severities, a handful
 * of targets and regions, fixed buckets; the service's own region's series exist at 0 from the
 * start. Named as the SLA dashboard and the rules (deploy/prometheus) read them. Counted once per
 * 10 s, however often Prometheus asks.
 */
@Injectable()
export class ClockGauges {
  private readonly scraped = new ScrapedGauges(() => this.load());
  private readonly open: Gauge<'severity' | 'target' | 'region' | 'state'>;
  private readonly atRisk: Gauge<'severity' | 'region' | 'bucket'>;
  private readonly nextBreach: Gauge<'severity' | 'region'>;
  private readonly zeros: {
    open: Labels<'severity' | 'target' | 'region' | 'state'>[];
    atRisk: Labels<'severity' | 'region' | 'bucket'>[];
  };

  constructor(
    private readonly clocks: ClockRepository,
    private readonly clock: Clock,
    metrics: PlatformMetrics,
    dataSource: DataSource,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    const scraped = this.scraped;
    const mf = new MetricFactory(metrics.registry, () => scraped.refresh());
    const region = [config.region];
    // row targets: a ladder clock is `ladder:<kind>`, every other target its kind
    const rowTargets = [...TARGET_KINDS, ...TARGET_KINDS.map((k) => `ladder:${k}`)];
    this.zeros = {
      open: labelProduct({ severity: SEVERITIES, target: rowTargets, region, state: ['running', 'paused'] }),
      atRisk: labelProduct({ severity: SEVERITIES, region, bucket: RISK_BUCKETS }),
    };
    this.open = mf.gauge(
      'aftersales_sla_clocks_open',
      'SLA clocks not stopped, by severity, target, region and state (running or paused)',
      ['severity', 'target', 'region', 'state'],
    );
    this.atRisk = mf.gauge(
      'aftersales_sla_at_risk',
      'Running SLA clocks by time left to breach of the ladder target: breached, lt_15m, lt_1h, lt_4h, later',
      ['severity', 'region', 'bucket'],
    );
    this.nextBreach = mf.gauge(
      'aftersales_sla_next_breach_seconds',
      'Time left (negative: overdue) to the planned breach of the most urgent running SLA clock, by severity and region; absent when none runs',
      ['severity', 'region'],
    );
    const met = mf.counter(
      'aftersales_sla_met_total',
      'SLA targets met (the clock stopped by its milestone or the resolution before its breach fired), by severity, target and region',
      ['severity', 'target', 'region'],
    );
    zeroSeries(met, labelProduct({ severity: SEVERITIES, target: TARGET_KINDS, region }));
    countSlaMet(dataSource, met);
  }

  private async load(): Promise<void> {
    const open = await this.clocks.openCounts();
    this.open.reset();
    for (const z of this.zeros.open) this.open.set(z, 0);
    for (const r of open)
      this.open.set({ severity: r.severity, target: r.target, region: r.region, state: r.paused ? 'paused' : 'running' }, r.n);
    const risk = await this.clocks.atRisk(this.clock.now());
    this.atRisk.reset();
    this.nextBreach.reset();
    for (const z of this.zeros.atRisk) this.atRisk.set(z, 0);
    const next = new Map<string, { severity: string; region: string; seconds: number }>();
    for (const r of risk) {
      this.atRisk.set({ severity: r.severity, region: r.region, bucket: r.bucket }, r.n);
      const key = `${r.severity}/${r.region}`;
      if (!next.has(key) || next.get(key)!.seconds > r.next) next.set(key, { severity: r.severity, region: r.region, seconds: r.next });
    }
    for (const n of next.values()) this.nextBreach.set({ severity: n.severity, region: n.region }, n.seconds);
  }
}
