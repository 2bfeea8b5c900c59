import { Inject, Injectable } from '@nestjs/common';
import { PlatformMetrics, ScrapedGauges } from '@aftersales/observability';
import { Clock, SERVICE_CONFIG } from '@aftersales/platform';
import { Counter, Gauge, Histogram } from 'prom-client';
import { ServiceConfig } from '@aftersales/config';
import { DataSource } from 'typeorm';
import { ITEMS, Scores } from '../domain/scores';

const VIAS = ['link', 'phone', 'portal'] as const;
const CALLBACK_EVENTS = ['requested', 'reached', 'unreachable', 'complaint-opened', 'overdue'] as const;
/** the response rate looks at surveys sent within this window */
const RESPONSE_WINDOW_DAYS = 28;

/**
 * Surveys sent and answered, scores per item and region, callbacks requested, closed and overdue
 * (counters and histograms, counted after commit), and from the tables when Prometheus scrapes:
 * the response rate of the last four weeks' surveys and callbacks open / overdue now. Labels are
 * bounded: regions, four items, three ways of answering, five callback events. Every series of the
 * service's own region starts at 0.
 */
@Injectable()
export class SurveyMetrics {
  private readonly sent: Counter<'region'>;
  private readonly answered: Counter<'region' | 'via'>;
  private readonly scores: Histogram<'item' | 'region'>;
  private readonly callbacks: Counter<'region' | 'event'>;
  private readonly responseRate: Gauge<'region'>;
  private readonly callbacksOpen: Gauge<'region'>;
  private readonly callbacksOverdue: Gauge<'region'>;
  private readonly scraped = new ScrapedGauges(() => this.load());

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly dataSource: DataSource,
    metrics: PlatformMetrics,
    private readonly clock: Clock,
  ) {
    const registers = [metrics.registry];
    const scraped = this.scraped;
    const collect = async () => scraped.refresh();
    this.sent = new Counter({ name: 'aftersales_surveys_sent_total', help: 'Surveys sent, by region', labelNames: ['region'], registers });
    this.answered = new Counter({
      name: 'aftersales_surveys_answered_total',
      help: 'Surveys answered (final answers), by region and how (link, phone, portal)',
      labelNames: ['region', 'via'],
      registers,
    });
    this.scores = new Histogram({
      name: 'aftersales_survey_score',
      help: 'Satisfaction scores (1-5) of final answers, by item and region',
      labelNames: ['item', 'region'],
      buckets: [1, 2, 3, 4, 5],
      registers,
    });
    this.callbacks = new Counter({
      name: 'aftersales_survey_callbacks_total',
      help: 'Callback tasks requested, closed (by outcome) and overdue, by region',
      labelNames: ['region', 'event'],
      registers,
    });
    this.responseRate = new Gauge({
      name: 'aftersales_survey_response_ratio',
      help: `Answered / sent of the surveys sent in the last ${RESPONSE_WINDOW_DAYS} days, by region`,
      labelNames: ['region'],
      registers,
      collect,
    });
    this.callbacksOpen = new Gauge({
      name: 'aftersales_survey_callbacks_open',
      help: 'Callback tasks not yet closed, by region',
      labelNames: ['region'],
      registers,
      collect,
    });
    this.callbacksOverdue = new Gauge({
      name: 'aftersales_survey_callbacks_overdue',
      help: 'Callback tasks open past their deadline (escalation reported them overdue), by region',
      labelNames: ['region'],
      registers,
      collect,
    });
    this.zero(config.region);
  }

  private zero(region: string): void {
    this.sent.inc({ region }, 0);
    for (const via of VIAS) this.answered.inc({ region, via }, 0);
    for (const item of ITEMS) this.scores.zero({ item, region });
    for (const event of CALLBACK_EVENTS) this.callbacks.inc({ region, event }, 0);
    this.responseRate.set({ region }, 0);
    this.callbacksOpen.set({ region }, 0);
    this.callbacksOverdue.set({ region }, 0);
  }

  surveysSent(region: string, n: number): void {
    this.sent.inc({ region }, n);
  }

  surveyAnswered(region: string, via: string, scores: Scores): void {
    this.answered.inc({ region, via });
    for (const item of ITEMS) {
      const v = scores[item];
      if (typeof v === 'number') this.scores.observe({ item, region }, v);
    }
  }

  callback(region: string, event: (typeof CALLBACK_EVENTS)[number]): void {
    this.callbacks.inc({ region, event });
  }

  private async load(): Promise<void> {
    const s = this.config.database.schema;
    const since = new Date(this.clock.now().getTime() - RESPONSE_WINDOW_DAYS * 86_400_000);
    const rates: Array<{ region: string; sent: number; answered: number }> = await this.dataSource.query(
      `SELECT region, count(*)::int AS sent, count(*) FILTER (WHERE status = 'answered')::int AS answered
         FROM "${s}".surveys WHERE sent_at >= $1 GROUP BY region`,
      [since],
    );
    const own = this.config.region;
    this.responseRate.reset();
    this.responseRate.set({ region: own }, 0);
    for (const r of rates) this.responseRate.set({ region: r.region }, r.sent ? r.answered / r.sent : 0);
    const open: Array<{ region: string; open: number; overdue: number }> = await this.dataSource.query(
      `SELECT region, count(*)::int AS open, count(*) FILTER (WHERE overdue_at IS NOT NULL)::int AS overdue
         FROM "${s}".survey_callbacks WHERE status = 'open' GROUP BY region`,
    );
    this.callbacksOpen.reset();
    this.callbacksOverdue.reset();
    this.callbacksOpen.set({ region: own }, 0);
    this.callbacksOverdue.set({ region: own }, 0);
    for (const r of open) {
      this.callbacksOpen.set({ region: r.region }, r.open);
      this.callbacksOverdue.set({ region: r.region }, r.overdue);
    }
  }
}
