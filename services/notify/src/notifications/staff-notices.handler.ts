import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventData, EventEnvelope } from '@aftersales/contracts';
import { OutboxEvent } from '@aftersales/messaging';
import { SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { NotificationMetrics } from './notification-metrics';
import { Notification } from './notification.entity';

interface Notice {
  caseId: string | null;
  region: string;
  template: string;
  roles: readonly string[];
  subject: string;
  body: string;
}

/**
 * Tells staff what the ladders and the desk say they must know (domain §6: "the next rung is
 * notified by in-app message, email and SMS"). A role resolves to the people registered for it in
 * the case's region (`role_recipients`, region `*` = everywhere); a role nobody holds yet still
 * gets an in-app notice on the role's queue, so no rung is ever silent.
 */
@Controller()
export class StaffNotices {
  constructor(
    @Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime,
    private readonly metrics: NotificationMetrics,
  ) {}

  @EventPattern('escalation.rung.reached.v1')
  async onRung(@Payload() e: EventEnvelope<EventData<'escalation.rung.reached.v1'>>): Promise<void> {
    const d = e.data;
    await this.notify('notify.escalation-rung', e, {
      caseId: d.caseId,
      region: d.region,
      template: 'escalation-rung',
      roles: d.notifyRoles,
      subject: `[${d.severity}] escalation: ${d.label}`,
      body: `Case ${d.caseId} is still not past its ${d.target} target after ${d.afterMinutes} business minutes (due ${d.dueAt}).${d.action === 'open-vendor-case' ? ' Open a case with the upstream vendor now.' : ''}`,
    });
  }

  @EventPattern('escalation.warning.v1')
  async onWarning(@Payload() e: EventEnvelope<EventData<'escalation.warning.v1'>>): Promise<void> {
    const d = e.data;
    await this.notify('notify.sla-warning', e, {
      caseId: d.caseId,
      region: d.region,
      template: 'sla-warning',
      roles: ['case-owner'],
      subject: `[${d.severity}] ${d.target} target at risk`,
      body: `Case ${d.caseId} breaches its ${d.target} target at ${d.breachAt ?? 'an undetermined time (paused)'}.`,
    });
  }

  @EventPattern('escalation.target.breached.v1')
  async onBreach(@Payload() e: EventEnvelope<EventData<'escalation.target.breached.v1'>>): Promise<void> {
    const d = e.data;
    await this.notify('notify.sla-breach', e, {
      caseId: d.caseId,
      region: d.region,
      template: 'sla-breach',
      roles: ['case-owner', 'service-delivery-manager'],
      subject: `[${d.severity}] ${d.target} target breached`,
      body: `Case ${d.caseId} breached its ${d.target} target at ${d.dueAt}.`,
    });
  }

  @EventPattern('case.manager-informed.v1')
  async onMajorCase(@Payload() e: EventEnvelope<EventData<'case.manager-informed.v1'>>): Promise<void> {
    const d = e.data;
    await this.notify('notify.major-case', e, {
      caseId: d.caseId,
      region: d.region,
      template: 'major-case',
      roles: ['customer-service-manager'],
      subject: `[${d.severity}] major case ${d.caseNumber} for ${d.customerId}`,
      body: `Case ${d.caseNumber} (${d.severity}) went at once to ${d.expertName}; emergency handling has started.`,
    });
  }

  @EventPattern('intake.request.handoff-overdue.v1')
  async onHandoffOverdue(@Payload() e: EventEnvelope<EventData<'intake.request.handoff-overdue.v1'>>): Promise<void> {
    const d = e.data;
    await this.notify('notify.handoff-overdue', e, {
      caseId: null,
      region: d.region,
      template: 'handoff-overdue',
      roles: ['hotline-engineer', 'customer-service-manager'],
      subject: `[${d.severity}] request from ${d.customerId} not taken for 15 minutes`,
      body: `Request ${d.requestId}, received ${d.receivedAt}, has no hotline engineer yet.`,
    });
  }

  private async notify(consumer: string, cause: EventEnvelope, n: Notice): Promise<void> {
    const recorded: Array<{ channel: string; template: string }> = [];
    const outcome = await this.rt.inbox.handleOnce(consumer, cause, async (m) => {
      const events: OutboxEvent[] = [];
      for (const role of n.roles) {
        for (const r of await this.recipients(m, n.region, role)) {
          const row = m.create(Notification, {
            id: randomUUID(),
            caseId: n.caseId,
            customerId: null,
            region: n.region,
            template: n.template,
            channel: r.channel,
            recipient: r.address,
            status: 'recorded',
            createdAt: new Date(),
            role,
            subject: n.subject,
            body: n.body,
          });
          await m.insert(Notification, row);
          recorded.push({ channel: r.channel, template: n.template });
          events.push({
            type: 'notify.notification.recorded.v1',
            aggregateType: 'notification',
            aggregateId: row.id,
            cause,
            data: {
              notificationId: row.id,
              ...(n.caseId ? { caseId: n.caseId } : {}),
              region: n.region,
              template: n.template,
              channel: r.channel,
              recipient: r.address,
            },
          });
        }
      }
      await this.rt.outbox.append(m, events);
    });
    if (outcome === 'handled') this.metrics.recorded(recorded);
  }

  private async recipients(m: EntityManager, region: string, role: string): Promise<Array<{ channel: string; address: string }>> {
    const rows: Array<{ channel: string; address: string }> = await m.query(
      `SELECT DISTINCT channel, address FROM "${this.rt.config.database.schema}".role_recipients
        WHERE role = $1 AND region IN ($2, '*') ORDER BY channel, address`,
      [role, region],
    );
    return rows.length ? rows : [{ channel: 'in-app', address: `role:${role}@${region}` }];
  }
}
