import { Injectable } from '@nestjs/common';
import { labelProduct, MetricFactory, PlatformMetrics, zeroSeries } from '@aftersales/observability';
import { Counter, Histogram } from 'prom-client';
import { Channel, CHANNELS } from '../domain';

/**
 * What happened to deliveries, by channel: `queued` (written for an external channel), `sent`,
 * `failed` (an attempt failed, retried later), `dead`, `skipped` (channel off), `digested`
 * (merged into a digest), `held` (quiet hours). Counted after the transaction that recorded it
 * committed, so a redelivered event adds nothing. Every series starts at 0.
 */
export const OUTCOMES = ['queued', 'sent', 'failed', 'dead', 'skipped', 'digested', 'held'] as const;
export type Outcome = (typeof OUTCOMES)[number];

@Injectable()
export class DeliveryMetrics {
  private readonly notifications: Counter<'channel' | 'outcome'>;
  private readonly resends: Counter<'channel'>;
  private readonly sendSeconds: Histogram<'channel'>;

  constructor(metrics: PlatformMetrics) {
    const mf = new MetricFactory(metrics.registry);
    this.notifications = mf.counter(
      'aftersales_notifications_total',
      'Deliveries by channel and outcome (queued, sent, failed, dead, skipped, digested, held)',
      ['channel', 'outcome'],
    );
    this.resends = mf.counter(
      'aftersales_notification_resends_total',
      'Sends repeated after a crash or an expired lease between the provider accept and our commit (same Message-ID / idempotency key)',
      ['channel'],
    );
    this.sendSeconds = mf.histogram(
      'aftersales_notification_send_seconds',
      "Time for a channel's provider to accept (or refuse) one message",
      ['channel'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    );
    zeroSeries(this.notifications, labelProduct({ channel: CHANNELS, outcome: OUTCOMES }));
    zeroSeries(this.resends, labelProduct({ channel: CHANNELS }));
    zeroSeries(this.sendSeconds, labelProduct({ channel: CHANNELS }));
  }

  count(channel: Channel, outcome: Outcome, n = 1): void {
    this.notifications.inc({ channel, outcome }, n);
  }

  resend(channel: Channel): void {
    this.resends.inc({ channel });
  }

  sent(channel: Channel, seconds: number): void {
    this.sendSeconds.observe({ channel }, seconds);
  }
}
