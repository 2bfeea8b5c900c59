import { Controller } from '@nestjs/common';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
import { Notifier } from '../deliveries/notifier';

/**
 * Tells staff what the ladders and the desk say they must know (domain §6: "the next rung is
 * notified by in-app message, email and SMS"): the holders of each role in the case's region —
 * whoever is on call at the event's time for a rotated role, a deputy for someone away, the
 * engineer who owns the case for `case-owner` — on every channel they gave. A role nobody holds
 * still gets an in-app notice on the role's queue, so no rung is ever silent.
 */
@Controller()
export class StaffNotices {
  constructor(private readonly notifier: Notifier) {}

  @OnEvent('escalation.rung.reached.v1', { consumer: 'notify.escalation-rung' })
  async onRung(e: Envelope<'escalation.rung.reached.v1'>, tx: HandlerContext): Promise<void> {
    const d = e.data;
    await this.notifier.notify(
      {
        template: 'escalation-rung',
        caseId: d.caseId,
        region: d.region,
        severity: d.severity,
        at: new Date(d.firedAt),
        audience: { roles: d.notifyRoles },
        data: {
          caseId: d.caseId,
          severity: d.severity,
          label: d.label,
          target: d.target,
          rungIndex: d.rungIndex,
          afterMinutes: d.afterMinutes,
          dueAt: d.dueAt,
          firedAt: d.firedAt,
          vendorCase: d.action === 'open-vendor-case',
        },
      },
      e,
      tx,
    );
  }

  @OnEvent('escalation.warning.v1', { consumer: 'notify.sla-warning' })
  async onWarning(e: Envelope<'escalation.warning.v1'>, tx: HandlerContext): Promise<void> {
    const d = e.data;
    await this.notifier.notify(
      {
        template: 'sla-warning',
        caseId: d.caseId,
        region: d.region,
        severity: d.severity,
        at: new Date(d.firedAt),
        audience: { roles: ['case-owner'] },
        data: { caseId: d.caseId, severity: d.severity, target: d.target, breachAt: d.breachAt, firedAt: d.firedAt },
      },
      e,
      tx,
    );
  }

  @OnEvent('escalation.target.breached.v1', { consumer: 'notify.sla-breach' })
  async onBreach(e: Envelope<'escalation.target.breached.v1'>, tx: HandlerContext): Promise<void> {
    const d = e.data;
    await this.notifier.notify(
      {
        template: 'sla-breach',
        caseId: d.caseId,
        region: d.region,
        severity: d.severity,
        at: new Date(d.firedAt),
        audience: { roles: ['case-owner', 'service-delivery-manager'] },
        data: { caseId: d.caseId, severity: d.severity, target: d.target, dueAt: d.dueAt, firedAt: d.firedAt },
      },
      e,
      tx,
    );
  }

  @OnEvent('case.manager-informed.v1', { consumer: 'notify.major-case' })
  async onMajorCase(e: Envelope<'case.manager-informed.v1'>, tx: HandlerContext): Promise<void> {
    const d = e.data;
    await this.notifier.notify(
      {
        template: 'major-case',
        caseId: d.caseId,
        region: d.region,
        severity: d.severity,
        at: new Date(d.at),
        audience: { roles: ['customer-service-manager'] },
        data: {
          caseId: d.caseId,
          caseNumber: d.caseNumber,
          severity: d.severity,
          customerId: d.customerId,
          expertId: d.expertId,
          expertName: d.expertName,
          at: d.at,
        },
      },
      e,
      tx,
    );
  }

  @OnEvent('intake.request.handoff-overdue.v1', { consumer: 'notify.handoff-overdue' })
  async onHandoffOverdue(e: Envelope<'intake.request.handoff-overdue.v1'>, tx: HandlerContext): Promise<void> {
    const d = e.data;
    await this.notifier.notify(
      {
        template: 'handoff-overdue',
        caseId: null,
        region: d.region,
        severity: d.severity,
        at: new Date(d.overdueAt),
        audience: { roles: ['hotline-engineer', 'customer-service-manager'] },
        data: { requestId: d.requestId, customerId: d.customerId, severity: d.severity, receivedAt: d.receivedAt, overdueAt: d.overdueAt },
      },
      e,
      tx,
    );
  }
}
