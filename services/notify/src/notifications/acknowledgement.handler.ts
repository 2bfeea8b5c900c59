import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventData, EventEnvelope } from '@aftersales/contracts';
import { SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
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
    @Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime,
    private readonly metrics: NotificationMetrics,
  ) {}

  @EventPattern('case.opened.v1')
  async onCaseOpened(@Payload() event: EventEnvelope<EventData<'case.opened.v1'>>): Promise<void> {
    const c = event.data;
    const [channel, recipient] = c.contact.email
      ? ['email', c.contact.email]
      : c.contact.phone
        ? ['sms', c.contact.phone]
        : ['in-app', `customer:${c.customerId}`];
    const outcome = await this.rt.inbox.handleOnce('notify.acknowledge-case', event, async (m) => {
      const n = m.create(Notification, {
        id: randomUUID(),
        caseId: c.caseId,
        customerId: c.customerId,
        region: c.region,
        template: 'case-acknowledgement',
        channel,
        recipient,
        status: 'recorded',
        createdAt: new Date(),
      });
      await m.insert(Notification, n);
      await this.rt.outbox.append(m, [
        {
          type: 'notify.notification.recorded.v1',
          aggregateType: 'notification',
          aggregateId: n.id,
          cause: event,
          data: { notificationId: n.id, caseId: c.caseId, region: c.region, template: n.template, channel, recipient },
        },
      ]);
    });
    if (outcome === 'handled') this.metrics.recorded([{ channel, template: 'case-acknowledgement' }]);
  }
}
