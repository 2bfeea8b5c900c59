import { Controller } from '@nestjs/common';
import { Envelope, HandlerContext, OnEvent, Outbox } from '@aftersales/messaging';
import { Clock } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { NotificationMetrics } from './notification-metrics';
import { Notification } from './notification.entity';

/**
 * Tells the customer contact that the case is open, on the best channel the contact gave.
 * Recorded here; the delivery adapters (SMTP, SMS, IM) send from this log.
 */
@Controller()
export class AcknowledgementHandler {
  constructor(
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly metrics: NotificationMetrics,
  ) {}

  @OnEvent('case.opened.v1', { consumer: 'notify.acknowledge-case' })
  async onCaseOpened(event: Envelope<'case.opened.v1'>, { manager: m, afterCommit }: HandlerContext): Promise<void> {
    const c = event.data;
    const [channel, recipient] = c.contact.email
      ? ['email', c.contact.email]
      : c.contact.phone
        ? ['sms', c.contact.phone]
        : ['in-app', `customer:${c.customerId}`];
    const n = m.create(Notification, {
      id: randomUUID(),
      caseId: c.caseId,
      customerId: c.customerId,
      region: c.region,
      template: 'case-acknowledgement',
      channel,
      recipient,
      status: 'recorded',
      createdAt: this.clock.now(),
    });
    await m.insert(Notification, n);
    await this.outbox.append(m, [
      {
        type: 'notify.notification.recorded.v1',
        aggregateType: 'notification',
        aggregateId: n.id,
        cause: event,
        data: { notificationId: n.id, caseId: c.caseId, region: c.region, template: n.template, channel, recipient },
      },
    ]);
    afterCommit(() => this.metrics.recorded([{ channel, template: 'case-acknowledgement' }]));
  }
}
