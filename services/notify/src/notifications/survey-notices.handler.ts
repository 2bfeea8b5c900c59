import { Controller } from '@nestjs/common';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
import { Notifier } from '../deliveries/notifier';

/**
 * The survey's loop (domain §8): the one-time answer link to the customer contact in their
 * language, the callback task to the region's service delivery manager, and any task deadline
 * the escalation engine holds (a callback not made in time) to the roles it names.
 */
@Controller()
export class SurveyNotices {
  constructor(private readonly notifier: Notifier) {}

  @OnEvent('survey.invitation.requested.v1', { consumer: 'notify.survey-invitation' })
  async onInvitation(e: Envelope<'survey.invitation.requested.v1'>, tx: HandlerContext): Promise<void> {
    const d = e.data;
    await this.notifier.notify(
      {
        template: 'survey-invitation',
        caseId: d.caseId,
        region: d.region,
        severity: null,
        at: new Date(e.time),
        audience: {
          contact: { customerId: d.customerId, name: d.contact.name, email: d.contact.email, phone: d.contact.phone, language: d.language },
        },
        data: {
          caseId: d.caseId,
          caseNumber: d.caseNumber,
          customerId: d.customerId,
          contactName: d.contact.name,
          link: d.link,
          expiresAt: d.expiresAt,
        },
      },
      e,
      tx,
    );
  }

  @OnEvent('survey.callback.requested.v1', { consumer: 'notify.survey-callback' })
  async onCallback(e: Envelope<'survey.callback.requested.v1'>, tx: HandlerContext): Promise<void> {
    const d = e.data;
    await this.notifier.notify(
      {
        template: 'survey-callback',
        caseId: d.caseId,
        region: d.region,
        severity: null,
        at: new Date(e.time),
        audience: { roles: ['service-delivery-manager'] },
        data: { caseId: d.caseId, caseNumber: d.caseNumber, customerId: d.customerId, lowItems: d.lowItems, dueAt: d.dueAt },
      },
      e,
      tx,
    );
  }

  @OnEvent('escalation.deadline.overdue.v1', { consumer: 'notify.deadline-overdue' })
  async onDeadlineOverdue(e: Envelope<'escalation.deadline.overdue.v1'>, tx: HandlerContext): Promise<void> {
    const d = e.data;
    await this.notifier.notify(
      {
        template: 'deadline-overdue',
        caseId: d.caseId ?? null,
        region: d.region,
        severity: null,
        at: new Date(d.firedAt),
        audience: { roles: d.notifyRoles },
        data: { caseId: d.caseId ?? '', kind: d.kind, subjectId: d.subjectId, dueAt: d.dueAt, firedAt: d.firedAt },
      },
      e,
      tx,
    );
  }
}
