import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { Counter } from 'prom-client';

/**
 * Notifications by channel and outcome, as the SLA dashboard reads them (deploy/prometheus).
 * Counted once the transaction that recorded them committed, so a redelivered event adds nothing.
 * Outcome is `recorded` until delivery adapters report `sent` / `failed`.
 */
@Injectable()
export class NotificationMetrics {
  private readonly notifications: Counter<'channel' | 'template' | 'outcome'>;

  constructor(@Inject(SERVICE_RUNTIME) rt: ServiceRuntime) {
    this.notifications = new Counter({
      name: 'aftersales_notifications_total',
      help: 'Notifications by channel, template and outcome',
      labelNames: ['channel', 'template', 'outcome'],
      registers: [rt.metrics.registry],
    });
  }

  recorded(rows: Array<{ channel: string; template: string }>): void {
    for (const r of rows) this.notifications.inc({ channel: r.channel, template: r.template, outcome: 'recorded' });
  }
}
