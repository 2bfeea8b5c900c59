import { ManualClock } from '@aftersales/platform';
import { deliver, tokenFor, upstreamEvent } from '@aftersales/testing';
import { randomUUID } from 'node:crypto';
import { NotifyWithPeers, putPerson, startNotifyWithPeers } from './support/notify';

/**
 * The contract's life told to the customer over the bus: a maintenance visit announced ahead, a
 * maintenance agreement's renewal reminder, the monthly maintenance record — each designated
 * contact hears once, a redelivered event adds nothing.
 */
describe('notify tells the customer about inspections, renewals and monthly records (real PostgreSQL, SMTP, HTTP)', () => {
  const clock = new ManualClock('2026-03-02T10:00:00+08:00');
  let n: NotifyWithPeers;
  beforeAll(async () => {
    n = await startNotifyWithPeers(clock, { NOTIFY_DEFAULT_LANGUAGE: 'en' });
    await putPerson(n.t, 'sun.sdm', { roles: ['service-delivery-manager'], email: 'sun.sdm@example.com' });
  });
  afterAll(() => n?.stop());

  const mailsTo = (to: string) => n.smtp.messages.filter((m) => m.to === to);
  const textsTo = (to: string) => n.sms.requests.filter((r) => new URLSearchParams(r.body).get('To') === to);
  const customerInbox = async (customerId: string) =>
    (await n.t.http('GET', '/inbox', { token: await tokenFor('customer', { customerId }) })).body;

  /** delivers twice (a broker redelivery), then lets the worker send what is due */
  const twiceThenSend = async (e: ReturnType<typeof upstreamEvent>) => {
    await deliver(n.t.bus, e);
    await deliver(n.t.bus, e);
    await n.worker.tick();
    clock.advanceMinutes(5);
    expect((await n.worker.tick()).claimed).toBe(0);
  };

  it('announces a quarterly inspection to each designated contact once, ahead of the visit', async () => {
    const contractId = `K-${randomUUID().slice(0, 8)}`;
    const scheduledFor = '2026-03-16T09:00:00+08:00';
    await twiceThenSend(
      upstreamEvent('intake.maintenance.announced.v1', contractId, {
        occurrenceId: randomUUID(),
        planId: randomUUID(),
        contractId,
        customerId: 'C-200',
        region: 'north',
        siteId: 'beijing-dc1',
        kind: 'inspection',
        channel: 'email',
        recipients: [
          { name: 'Li Wei', email: 'li.wei@c200.example.com' },
          { name: 'Ops desk', phone: '+8613800000201' },
        ],
        scheduledFor: new Date(scheduledFor).toISOString(),
        announcedAt: clock.now().toISOString(),
      }),
    );
    const [mail, ...more] = mailsTo('li.wei@c200.example.com');
    expect(more).toHaveLength(0);
    expect(mail!.subject).toBe(`Scheduled inspection on 2026-03-16 09:00 GMT+8 (contract ${contractId})`);
    expect(mail!.text).toContain('Dear Li Wei');
    expect(mail!.text).toContain('at site beijing-dc1');
    expect(textsTo('+8613800000201')).toHaveLength(1);
    expect(new URLSearchParams(textsTo('+8613800000201')[0]!.body).get('Body')).toContain('preventive inspection');
    // an e-mail announcement is no task for staff
    expect(mailsTo('sun.sdm@example.com').filter((m) => m.subject.includes(contractId))).toHaveLength(0);
  });

  it('a fax announcement also asks the delivery manager to send it, with the fax number', async () => {
    const contractId = `K-${randomUUID().slice(0, 8)}`;
    await twiceThenSend(
      upstreamEvent('intake.maintenance.announced.v1', contractId, {
        occurrenceId: randomUUID(),
        planId: randomUUID(),
        contractId,
        customerId: 'C-201',
        region: 'north',
        kind: 'remote-check',
        channel: 'fax',
        recipients: [{ name: 'Zhou Ping', email: 'zhou@c201.example.com', fax: '+86-10-5555-0101' }],
        scheduledFor: '2026-03-20T02:00:00.000Z',
        announcedAt: clock.now().toISOString(),
      }),
    );
    expect(mailsTo('zhou@c201.example.com').map((m) => m.subject)).toEqual([expect.stringContaining('Scheduled remote check')]);
    const task = mailsTo('sun.sdm@example.com').filter((m) => m.subject.includes(contractId));
    expect(task).toHaveLength(1);
    expect(task[0]!.text).toContain('Send this announcement by fax to: Zhou Ping +86-10-5555-0101');
  });

  it('reminds the customer contact and the region delivery manager of a renewal, once per reminder', async () => {
    const agreementId = randomUUID();
    const reminder = (daysBefore: number) =>
      upstreamEvent('intake.agreement.renewal-due.v1', agreementId, {
        agreementId,
        customerId: 'C-202',
        region: 'north',
        contractId: 'K-202',
        assetIds: ['A-1'],
        endsOn: '2026-05-01',
        daysBefore,
        recipients: [{ name: 'Qian Yu', email: 'qian@c202.example.com' }],
        notifyRoles: ['service-delivery-manager'],
        dueAt: clock.now().toISOString(),
      });
    await twiceThenSend(reminder(60));
    await twiceThenSend(reminder(30));
    const customer = mailsTo('qian@c202.example.com');
    expect(customer.map((m) => m.subject)).toEqual([
      'Your maintenance agreement ends on 2026-05-01: 60 days left to renew',
      'Your maintenance agreement ends on 2026-05-01: 30 days left to renew',
    ]);
    expect(customer[0]!.text).toContain('Dear Qian Yu');
    expect(mailsTo('sun.sdm@example.com').filter((m) => m.subject.includes('2026-05-01'))).toHaveLength(2);
    const inbox = await n.t.http('GET', '/inbox', { token: await tokenFor('manager', { sub: 'sun.sdm' }) });
    expect(inbox.body.items.filter((i: { template: string }) => i.template === 'agreement-renewal')).toHaveLength(2);
  });

  it('sends the monthly maintenance record with its counts; without a contact it lands in the customer inbox', async () => {
    const record = (customerId: string, contact?: { name: string; email: string }) => {
      const recordId = randomUUID();
      return upstreamEvent('case.maintenance-record.sent.v1', recordId, {
        recordId,
        contractId: 'K-203',
        customerId,
        region: 'north',
        month: '2026-02',
        ...(contact ? { contact } : {}),
        documentUrl: `/maintenance-records/${recordId}?format=csv`,
        counts: { casesOpened: 3, inspections: 1, partsUsed: 2 },
        sentAt: clock.now().toISOString(),
      });
    };
    await twiceThenSend(record('C-203', { name: 'Wu Lan', email: 'wu@c203.example.com' }));
    const [mail, ...more] = mailsTo('wu@c203.example.com');
    expect(more).toHaveLength(0);
    expect(mail!.subject).toBe('Maintenance record 2026-02 for contract K-203');
    expect(mail!.text).toContain('- casesOpened: 3');
    expect(mail!.html).toContain('<li>partsUsed: 2</li>');

    await twiceThenSend(record('C-204'));
    const inbox = await customerInbox('C-204');
    expect(inbox.items.filter((i: { template: string }) => i.template === 'maintenance-record')).toHaveLength(1);
  });
});
