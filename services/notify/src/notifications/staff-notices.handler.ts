import { Controller } from '@nestjs/common';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
import { EventEnvelope } from '@aftersales/contracts';
import { Notifier } from '../deliveries/notifier';
import { Severity, TemplateId } from '../domain';

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
    await this.clockNotice('escalation-rung', d, d.notifyRoles, e, tx, {
      label: d.label,
      rungIndex: d.rungIndex,
      afterMinutes: d.afterMinutes,
      dueAt: d.dueAt,
      vendorCase: d.action === 'open-vendor-case',
    });
  }

  @OnEvent('escalation.warning.v1', { consumer: 'notify.sla-warning' })
  async onWarning(e: Envelope<'escalation.warning.v1'>, tx: HandlerContext): Promise<void> {
    await this.clockNotice('sla-warning', e.data, ['case-owner'], e, tx, { breachAt: e.data.breachAt });
  }

  @OnEvent('escalation.target.breached.v1', { consumer: 'notify.sla-breach' })
  async onBreach(e: Envelope<'escalation.target.breached.v1'>, tx: HandlerContext): Promise<void> {
    await this.clockNotice('sla-breach', e.data, ['case-owner', 'service-delivery-manager'], e, tx, { dueAt: e.data.dueAt });
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

  /** A notice from an SLA clock of one case (rung, warning, breach), told at the time the clock fired. */
  private clockNotice(
    template: TemplateId,
    d: { caseId: string; region: string; severity: Severity; target: string; firedAt: string },
    roles: readonly string[],
    cause: EventEnvelope,
    tx: HandlerContext,
    data: Record<string, unknown>,
  ): Promise<void> {
    return this.notifier.notify(
      {
        template,
        caseId: d.caseId,
        region: d.region,
        severity: d.severity,
        at: new Date(d.firedAt),
        audience: { roles },
        data: { caseId: d.caseId, severity: d.severity, target: d.target, firedAt: d.firedAt, ...data },
      },
      cause,
      tx,
    );
  }
}
