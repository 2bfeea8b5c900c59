import { Controller, Inject } from '@nestjs/common';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
import { Clock, SERVICE_SETTINGS } from '@aftersales/platform';
import { CaseProjectionRepository } from '../cases/case-projection.repository';
import { Notifier } from '../deliveries/notifier';
import { NotifySettings } from '../notify.config';

/**
 * Records the new case in notify's projection and tells the customer contact that it is open, on the best channel the contact gave (e-mail,
 * else SMS, else the customer's in-app notices), and the customer's own system when it has a webhook.
 */
@Controller()
export class AcknowledgementHandler {
  constructor(
    private readonly notifier: Notifier,
    private readonly cases: CaseProjectionRepository,
    private readonly clock: Clock,
    @Inject(SERVICE_SETTINGS) private readonly s: NotifySettings,
  ) {}

  @OnEvent('case.opened.v1', { consumer: 'notify.acknowledge-case' })
  async onCaseOpened(e: Envelope<'case.opened.v1'>, tx: HandlerContext): Promise<void> {
    const c = e.data;
    // the case projection first: its number, contact and coverage for later notices about the case
    await this.cases.opened(
      tx.manager,
      {
        caseId: c.caseId,
        caseNumber: c.caseNumber,
        region: c.region,
        customerId: c.customerId,
        severity: c.severity,
        coverage: c.contract?.coverage ?? null,
        contact: c.contact,
      },
      this.clock.now(),
    );
    await this.notifier.notify(
      {
        template: 'case-acknowledgement',
        caseId: c.caseId,
        region: c.region,
        severity: c.severity,
        at: new Date(c.openedAt),
        coverage: c.contract?.coverage ?? null,
        audience: {
          contact: {
            customerId: c.customerId,
            name: c.contact.name,
            email: c.contact.email,
            phone: c.contact.phone,
            language: this.s.NOTIFY_DEFAULT_LANGUAGE,
            webhook: true,
          },
        },
        data: {
          caseId: c.caseId,
          caseNumber: c.caseNumber,
          severity: c.severity,
          customerId: c.customerId,
          contactName: c.contact.name,
          symptom: c.symptom,
          openedAt: c.openedAt,
        },
      },
      e,
      tx,
    );
  }
}
