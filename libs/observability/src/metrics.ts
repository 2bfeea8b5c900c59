import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** HTTP status as a bounded label: `2xx` … `5xx` (the access log keeps the exact code). */
export const HTTP_STATUS_CLASSES = ['2xx', '3xx', '4xx', '5xx'] as const;
export const statusClass = (status: number): string => `${Math.min(5, Math.max(1, Math.floor(status / 100)))}xx`;
/** What became of a consumed event: the handler's outcomes and the bus's (retried later, given up to the DLQ). */
export const CONSUMER_OUTCOMES = ['handled', 'duplicate', 'ignored', 'failed', 'retried', 'dead_lettered'] as const;
export const RETENTION_TABLES = ['outbox', 'inbox', 'idempotency_keys'] as const;

type LabelSet = Record<string, string>;

/** Every combination of the given label values: the series a metric with bounded labels has from the start. */
export function labelProduct<K extends string>(dims: Record<K, readonly string[]>): Array<Record<K, string>> {
  const entries = Object.entries<readonly string[]>(dims);
  const sets = entries.reduce<LabelSet[]>((acc, [name, values]) => acc.flatMap((s) => values.map((v) => ({ ...s, [name]: v }))), [{}]);
  return sets as Array<Record<K, string>>;
}

/**
 * Creates each series at 0, so the first event shows in rate() and increase() and panels show 0,
 * not "No data" (a series born at 1 has no increase). Histograms get every bucket at 0.
 */
export function zeroSeries(metric: Counter<string> | Histogram<string>, sets: LabelSet[]): void {
  for (const labels of sets) {
    if (metric instanceof Histogram) metric.zero(labels);
    else metric.inc(labels, 0);
  }
}

/**
 * The metrics every service exposes. Labels are bounded (service, region, topic, outcome,
 * route templates) — never an id. Each service has its own registry so that in all-in-one mode
 * every service's /metrics still shows only its own series.
 */
export class PlatformMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  readonly outboxPending: Gauge;
  readonly outboxLag: Gauge;
  readonly outboxPublished: Counter<'topic'>;
  readonly outboxDead: Counter<'topic'>;
  readonly eventsConsumed: Counter<'topic' | 'outcome'>;
  readonly eventHandleDuration: Histogram<'topic'>;
  readonly dlqMessages: Counter<'topic'>;
  readonly retentionPurged: Counter<'table'>;

  constructor(service: string, region: string, opts: { defaultMetrics?: boolean } = {}) {
    this.registry.setDefaultLabels({ service, region });
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'aftersales_' });
    const r = [this.registry];
    this.httpRequests = new Counter({
      name: 'aftersales_http_requests_total',
      help: 'HTTP requests served, by method, route template and status class (2xx, 3xx, 4xx, 5xx)',
      labelNames: ['method', 'route', 'status'],
      registers: r,
    });
    this.httpDuration = new Histogram({
      name: 'aftersales_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: r,
    });
    this.outboxPending = new Gauge({ name: 'aftersales_outbox_pending', help: 'Outbox rows not yet published', registers: r });
    this.outboxLag = new Gauge({ name: 'aftersales_outbox_lag_seconds', help: 'Age of the oldest unpublished outbox row', registers: r });
    this.outboxPublished = new Counter({
      name: 'aftersales_outbox_published_total',
      help: 'Outbox events published',
      labelNames: ['topic'],
      registers: r,
    });
    this.outboxDead = new Counter({
      name: 'aftersales_outbox_dead_total',
      help: 'Outbox events set aside after repeated publish failures',
      labelNames: ['topic'],
      registers: r,
    });
    this.eventsConsumed = new Counter({
      name: 'aftersales_events_consumed_total',
      help: 'Events consumed, by outcome (handled, duplicate, ignored, failed)',
      labelNames: ['topic', 'outcome'],
      registers: r,
    });
    this.eventHandleDuration = new Histogram({
      name: 'aftersales_event_handle_duration_seconds',
      help: 'Time to handle one event',
      labelNames: ['topic'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: r,
    });
    this.retentionPurged = new Counter({
      name: 'aftersales_retention_purged_total',
      help: 'Rows deleted by the retention sweep (published outbox rows, inbox ids, idempotency keys)',
      labelNames: ['table'],
      registers: r,
    });
    zeroSeries(this.retentionPurged, labelProduct({ table: RETENTION_TABLES }));
    this.dlqMessages = new Counter({
      name: 'aftersales_dlq_messages_total',
      help: 'Messages given up to a dead-letter queue',
      labelNames: ['topic'],
      registers: r,
    });
  }

  /** Every route at 0 for each status class, so error ratios read 0 instead of nothing. */
  initHttpRoutes(routes: Array<{ method: string; route: string }>): void {
    zeroSeries(
      this.httpRequests,
      routes.flatMap((r) => HTTP_STATUS_CLASSES.map((status) => ({ ...r, status }))),
    );
    zeroSeries(this.httpDuration, routes);
  }

  /** The topics a service consumes (every outcome, handling time, dead letters) and publishes, at 0. */
  initTopics(t: { consumed?: readonly string[]; published?: readonly string[] }): void {
    const consumed = t.consumed ?? [];
    const published = t.published ?? [];
    zeroSeries(this.eventsConsumed, labelProduct({ topic: consumed, outcome: CONSUMER_OUTCOMES }));
    zeroSeries(this.eventHandleDuration, labelProduct({ topic: consumed }));
    zeroSeries(this.dlqMessages, labelProduct({ topic: consumed }));
    zeroSeries(this.outboxPublished, labelProduct({ topic: published }));
    zeroSeries(this.outboxDead, labelProduct({ topic: published }));
  }
}

/**
 * A service's own metrics on its registry, one call each (name, help, labels, buckets). Gauges
 * share the `collect` given here: a scrape refreshes them together (see `ScrapedGauges`).
 */
export class MetricFactory {
  constructor(
    private readonly registry: Registry,
    private readonly collect?: () => void | Promise<void>,
  ) {}

  counter<L extends string = string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  gauge<L extends string = string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    const collect = this.collect;
    return new Gauge({ name, help, labelNames, registers: [this.registry], ...(collect ? { collect: () => collect() } : {}) });
  }

  histogram<L extends string = string>(name: string, help: string, labelNames: readonly L[], buckets: number[]): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }
}
