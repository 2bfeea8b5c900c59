import { InProcessBus } from '@aftersales/messaging';
import { caseOpened, deliver, startTestService, TestService, tokenFor, upstreamEvent } from '@aftersales/testing';
import { notifyService } from '../src/notify.service-definition';

describe('notify service: acknowledges each new case to the customer contact (real PostgreSQL)', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService(notifyService, { bus: new InProcessBus() });
  });
  afterAll(() => t.stop());

  const notificationsOf = async (caseId: string) => (await t.http('GET', `/notifications?caseId=${caseId}`)).body.items;

  // no SMTP or SMS provider configured here: those channels are off, the row says so
  it.each([
    ['email', { name: 'Li', email: 'li@example.com', phone: '+86 10 1' }, 'li@example.com', 'skipped'],
    ['sms', { name: 'Li', phone: '+86 10 1' }, '+86 10 1', 'skipped'],
    ['in-app', { name: 'Li' }, 'customer:C-100', 'sent'],
  ])('records one %s acknowledgement, whatever the redeliveries', async (channel, contact, recipient, status) => {
    const opened = caseOpened({ contact });
    const event = upstreamEvent('case.opened.v1', opened.caseId, opened);
    await deliver(t.bus, event);
    await deliver(t.bus, event);
    const items = await notificationsOf(opened.caseId);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ template: 'case-acknowledgement', channel, recipient, status });
  });

  it('shows the customer its own notifications only', async () => {
    const opened = caseOpened({ customerId: 'C-500' });
    await deliver(t.bus, upstreamEvent('case.opened.v1', opened.caseId, opened));
    const own = await t.http('GET', `/notifications?caseId=${opened.caseId}`, {
      token: await tokenFor('customer', { customerId: 'C-500' }),
    });
    const other = await t.http('GET', `/notifications?caseId=${opened.caseId}`, {
      token: await tokenFor('customer', { customerId: 'C-501' }),
    });
    expect(own.body.items).toHaveLength(1);
    expect(other.body.items).toHaveLength(0);
  });
});
