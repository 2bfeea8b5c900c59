import { Injectable } from '@nestjs/common';
import { PlatformMetrics, ScrapedGauges } from '@aftersales/observability';
import { Clock } from '@aftersales/platform';
import { Gauge } from 'prom-client';
import { ClockRepository } from './clock.repository';

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
    private readonly clocks: ClockRepository,
    metrics: PlatformMetrics,
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
    const open = await this.clocks.openCounts();
    this.open.reset();
    for (const r of open)
      this.open.set({ severity: r.severity, target: r.target, region: r.region, state: r.paused ? 'paused' : 'running' }, r.n);
    const risk = await this.clocks.atRisk(this.clock.now());
    this.atRisk.reset();
    for (const r of risk) this.atRisk.set({ severity: r.severity, region: r.region, bucket: r.bucket }, r.n);
  }
}
