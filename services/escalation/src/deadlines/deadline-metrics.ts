import { Injectable } from '@nestjs/common';
import { labelProduct, MetricFactory, PlatformMetrics, ScrapedGauges, zeroSeries } from '@aftersales/observability';
import { Counter, Gauge } from 'prom-client';
import { DEADLINE_KINDS } from '../domain/deadline-policy';
import { DeadlinesRepository } from './deadlines.repository';

const EVENTS = ['recorded', 'met', 'overdue'] as const;

/**
 * Task deadlines recorded, met and fired overdue (counted after commit), and those not met now
 * (open, or overdue and still undone), by kind. Labels bounded: three kinds, three events, two states.
 */
@Injectable()
export class DeadlineMetrics {
  private readonly events: Counter<'kind' | 'event'>;
  private readonly pending: Gauge<'kind' | 'state'>;
  private readonly scraped = new ScrapedGauges(() => this.load());

  constructor(
    metrics: PlatformMetrics,
    private readonly repo: DeadlinesRepository,
  ) {
    const scraped = this.scraped;
    const mf = new MetricFactory(metrics.registry, () => scraped.refresh());
    this.events = mf.counter(
      'aftersales_escalation_deadlines_total',
      'Task deadlines held by escalation: recorded, met, fired overdue; by kind',
      ['kind', 'event'],
    );
    this.pending = mf.gauge(
      'aftersales_escalation_deadlines_pending',
      'Task deadlines not met: open, or overdue and still undone; by kind',
      ['kind', 'state'],
    );
    this.zero();
  }

  private zero(): void {
    zeroSeries(this.events, labelProduct({ kind: DEADLINE_KINDS, event: EVENTS }));
    for (const labels of labelProduct({ kind: DEADLINE_KINDS, state: ['open', 'overdue'] })) this.pending.set(labels, 0);
  }

  count(kind: string, event: (typeof EVENTS)[number], n = 1): void {
    if (n > 0) this.events.inc({ kind, event }, n);
  }

  private async load(): Promise<void> {
    const rows = await this.repo.countsByKind();
    this.pending.reset();
    for (const kind of DEADLINE_KINDS) for (const state of ['open', 'overdue']) this.pending.set({ kind, state }, 0);
    for (const r of rows) this.pending.set({ kind: r.kind, state: r.state }, r.n);
  }
}
