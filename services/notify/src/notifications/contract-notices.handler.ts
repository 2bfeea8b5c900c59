import { Controller } from '@nestjs/common';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
import { ContactAudience, Notifier } from '../deliveries/notifier';

/** Who, among the region's staff, posts or faxes an announcement notify cannot send itself. */
const POSTING_ROLE = 'service-delivery-manager';

interface Designated {
  name: string;
  email?: string;
  phone?: string;
  fax?: string;
  address?: string;
}

const contactsOf = (customerId: string, people: readonly Designated[]): ContactAudience[] =>
  people.map((p) => ({ customerId, name: p.name, email: p.email, phone: p.phone }));

/**
 * The contract's life told to the customer (domain §9): preventive maintenance announced ahead,
 * renewal reminders for a maintenance agreement (60/30/7 days), and the monthly maintenance
 * record. Each designated contact hears once per event; the delivery log's key makes a
 * redelivered event a no-op.
 */
@Controller()
export class ContractNotices {
  constructor(private readonly notifier: Notifier) {}

  @OnEvent('intake.maintenance.announced.v1', { consumer: 'notify.maintenance-announced' })
  async onAnnounced(e: Envelope<'intake.maintenance.announced.v1'>, tx: HandlerContext): Promise<void> {
    const d = e.data;
    const base = {
      template: 'maintenance-announcement' as const,
      caseId: null,
      region: d.region,
      severity: null,
      at: new Date(d.announcedAt),
    };
    const data = {
      contractId: d.contractId,
      customerId: d.customerId,
      kind: d.kind,
      remoteCheck: d.kind === 'remote-check',
      siteId: d.siteId ?? '',
      scheduledFor: d.scheduledFor,
      sendBy: '',
      sendTo: '',
    };
    await this.notifier.notify({ ...base, audience: { contacts: contactsOf(d.customerId, d.recipients) }, data }, e, tx);
    if (d.channel === 'email') return;
    // a letter or a fax is staff's work: the delivery manager gets the text and where to send it
    const sendTo = d.recipients.map((r) => `${r.name} ${(d.channel === 'fax' ? r.fax : r.address) ?? '(none given)'}`).join('; ');
    await this.notifier.notify({ ...base, audience: { roles: [POSTING_ROLE] }, data: { ...data, sendBy: d.channel, sendTo } }, e, tx);
  }

  @OnEvent('intake.agreement.renewal-due.v1', { consumer: 'notify.agreement-renewal' })
  async onRenewalDue(e: Envelope<'intake.agreement.renewal-due.v1'>, tx: HandlerContext): Promise<void> {
    const d = e.data;
    const base = { template: 'agreement-renewal' as const, caseId: null, region: d.region, severity: null, at: new Date(d.dueAt) };
    const data = {
      agreementId: d.agreementId,
      contractId: d.contractId ?? '',
      customerId: d.customerId,
      endsOn: d.endsOn,
      daysBefore: d.daysBefore,
    };
    await this.notifier.notify({ ...base, audience: { contacts: contactsOf(d.customerId, d.recipients) }, data }, e, tx);
    if (d.notifyRoles.length) await this.notifier.notify({ ...base, audience: { roles: d.notifyRoles }, data }, e, tx);
  }

  @OnEvent('case.maintenance-record.sent.v1', { consumer: 'notify.maintenance-record' })
  async onRecordSent(e: Envelope<'case.maintenance-record.sent.v1'>, tx: HandlerContext): Promise<void> {
    const d = e.data;
    await this.notifier.notify(
      {
        template: 'maintenance-record',
        caseId: null,
        region: d.region,
        severity: null,
        at: new Date(d.sentAt),
        // no contact on the record: the customer's portal inbox still has it
        audience: { contacts: contactsOf(d.customerId, d.contact ? [d.contact] : [{ name: d.customerId }]) },
        data: {
          recordId: d.recordId,
          contractId: d.contractId,
          customerId: d.customerId,
          month: d.month,
          documentUrl: d.documentUrl,
          counts: Object.entries(d.counts).map(([name, value]) => ({ name, value })),
        },
      },
      e,
      tx,
    );
  }
}
