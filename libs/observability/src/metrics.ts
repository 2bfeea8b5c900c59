import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
      help: 'HTTP requests served',
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
    this.dlqMessages = new Counter({
      name: 'aftersales_dlq_messages_total',
      help: 'Messages given up to a dead-letter queue',
      labelNames: ['topic'],
      registers: r,
    });
  }
}
