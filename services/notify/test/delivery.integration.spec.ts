import { ManualClock } from '@aftersales/platform';
import { deliver, TestService, tokenFor } from '@aftersales/testing';
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { DeliveryWorker } from '../src/deliveries/delivery-worker';
import { DeliveryRepository } from '../src/deliveries/delivery.repository';
import { NotifyWithPeers, putPerson, rungReached, startNotifyWithPeers } from './support/notify';
import { HttpRecorder, metricValue, SmtpListener } from './support/peers';

/** Ladder B, P1, first rung: Manager1 / senior engineer 10 minutes after opening (domain §6). */
const rungB0 = (caseId: string, at: Date) =>
  rungReached(caseId, at, {
    eventKey: 'rung:0',
    rungIndex: 0,
    afterMinutes: 10,
    label: '10min: Manager1 / senior engineer (Manager1/高级工程师)',
    notifyRoles: ['manager1', 'senior-engineer'],
  });

describe('notify delivers a P1 rung to Manager1 by in-app, e-mail and SMS exactly once (real SMTP and HTTP peers, real PostgreSQL)', () => {
  const clock = new ManualClock('2026-03-02T10:00:00+08:00');
  let n: NotifyWithPeers;
  let t: TestService;
  let smtp: SmtpListener;
  let sms: HttpRecorder;
  let worker: DeliveryWorker;

  beforeAll(async () => {
    // the loop is off: the test steps the clock and calls tick() itself
    n = await startNotifyWithPeers(clock);
    ({ t, smtp, sms, worker } = n);
    await putPerson(t, 'wang.fang', {
      name: 'Wang Fang',
      roles: ['manager1'],
      language: 'zh-CN',
      email: 'wang.fang@example.com',
      phone: '+8613800000001',
    });
  });
  afterAll(() => n?.stop());

  const deliveries = async (caseId: string) => (await t.http('GET', `/deliveries?caseId=${caseId}`, { role: 'manager' })).body.items;
  const inboxOf = async (sub: string) => (await t.http('GET', '/inbox', { token: await tokenFor('manager', { sub }) })).body;
  const mailsTo = (caseId: string) => smtp.messages.filter((m) => m.headers.get('x-aftersales-case') === caseId);
  const textsFor = (ids: string[]) => sms.requests.filter((r) => ids.includes(String(r.headers['i-twilio-idempotency-token'])));

  it('sends one e-mail (HTML and text, Message-ID from the log row), one SMS and one inbox item; a redelivered event adds nothing', async () => {
    const caseId = randomUUID();
    const event = rungB0(caseId, clock.now());
    await deliver(t.bus, event);

    // in-app is there at once; e-mail and SMS wait in the log for the worker
    const queued = await deliveries(caseId);
    const byChannel = (items: Array<{ channel: string; recipient: string }>, c: string) =>
      items.filter((d) => d.channel === c && !d.recipient.startsWith('role:'));
    expect(byChannel(queued, 'in-app')).toEqual([expect.objectContaining({ status: 'sent', recipient: 'wang.fang', language: 'zh-CN' })]);
    expect(byChannel(queued, 'email')).toEqual([expect.objectContaining({ status: 'queued', recipient: 'wang.fang@example.com' })]);
    expect(byChannel(queued, 'sms')).toEqual([expect.objectContaining({ status: 'queued', recipient: '+8613800000001' })]);
    // nobody holds senior-engineer in north: its queue gets the in-app notice
    expect(queued.filter((d: { recipient: string }) => d.recipient === 'role:senior-engineer@north')).toHaveLength(1);

    expect(await worker.tick()).toMatchObject({ claimed: 2, sent: 2, failed: 0, resent: 0 });
    const email = byChannel(await deliveries(caseId), 'email')[0] as unknown as { id: string; providerAnswer: string };
    const text = byChannel(await deliveries(caseId), 'sms')[0] as unknown as { id: string };

    const [mail] = mailsTo(caseId);
    expect(mailsTo(caseId)).toHaveLength(1);
    expect(mail).toMatchObject({ to: 'wang.fang@example.com', messageId: `<${email.id}@aftersales.test>` });
    expect(mail!.subject).toContain('[P1] 升级通知');
    expect(mail!.subject).toContain('Manager1');
    expect(mail!.text).toContain('10 分钟');
    expect(mail!.html).toContain('<p>');
    expect(email).toMatchObject({ status: 'sent', attempts: 1, resends: 0, messageId: `<${email.id}@aftersales.test>` });
    expect(email.providerAnswer).toMatch(/^250/);

    expect(textsFor([text.id])).toHaveLength(1);
    const [sent] = textsFor([text.id]);
    expect(sent!.path).toBe('/2010-04-01/Accounts/AC0123456789abcdef/Messages.json');
    expect(sent!.headers.authorization).toBe(`Basic ${Buffer.from('AC0123456789abcdef:test-auth-token').toString('base64')}`);
    const form = new URLSearchParams(sent!.body);
    expect(form.get('To')).toBe('+8613800000001');
    expect(form.get('From')).toBe('+8610000000000');
    expect(form.get('Body')).toContain('Manager1');
    expect(text).toMatchObject({ status: 'sent', attempts: 1 });

    const inbox = await inboxOf('wang.fang');
    expect(inbox.items.filter((i: { caseId: string }) => i.caseId === caseId)).toHaveLength(1);

    // the same event again (a broker redelivery): the inbox dedupes it, the log's unique key would too
    await deliver(t.bus, event);
    clock.advanceMinutes(5);
    expect((await worker.tick()).claimed).toBe(0);
    expect(mailsTo(caseId)).toHaveLength(1);
    expect(textsFor([text.id])).toHaveLength(1);
    expect((await inboxOf('wang.fang')).items.filter((i: { caseId: string }) => i.caseId === caseId)).toHaveLength(1);
    expect(await deliveries(caseId)).toHaveLength(queued.length);

    const metrics = String((await t.http('GET', '/metrics')).body);
    expect(metricValue(metrics, 'aftersales_notifications_total', { channel: 'email', outcome: 'sent' })).toBe(1);
    expect(metricValue(metrics, 'aftersales_notifications_total', { channel: 'sms', outcome: 'sent' })).toBe(1);
    expect(metricValue(metrics, 'aftersales_notifications_total', { channel: 'webhook', outcome: 'dead' })).toBe(0); // zero-initialised
  });

  it('a lost answer: the listener kept the mail but the sender saw an error — the retry carries the same Message-ID', async () => {
    const caseId = randomUUID();
    await deliver(t.bus, rungB0(caseId, clock.now()));
    // the listener keeps the message but answers 421 (as if the connection broke after DATA)
    smtp.onMessage = () => {
      smtp.onMessage = undefined;
      throw Object.assign(new Error('connection lost'), { responseCode: 421 });
    };
    const first = await worker.tick();
    expect(first).toMatchObject({ claimed: 2, sent: 1, failed: 1 });
    expect(mailsTo(caseId)).toHaveLength(1);
    // that was a failure we heard of: retried with backoff, same Message-ID
    clock.advanceMinutes(2);
    expect(await worker.tick()).toMatchObject({ claimed: 1, sent: 1 });
    const [one, two] = mailsTo(caseId);
    expect(two!.messageId).toBe(one!.messageId);

    const email = (await deliveries(caseId)).find((d: { channel: string }) => d.channel === 'email');
    expect(email).toMatchObject({ status: 'sent', attempts: 2, resends: 0 });
    const detail = (await t.http('GET', `/deliveries/${email.id}`, { role: 'manager' })).body;
    expect(detail.attemptLog.map((a: { outcome: string }) => a.outcome)).toEqual(['failed', 'sent']);
    expect(detail.attemptLog[0].answer).toContain('connection lost');
  });

  it('a send whose outcome was never recorded (the sender died after the accept) is resent after its lease, same Message-ID, counted as a resend', async () => {
    const caseId = randomUUID();
    await deliver(t.bus, rungB0(caseId, clock.now()));
    // stand in for the dead sender: claim the rows (committed `sending`, lease running) and send the
    // e-mail through the real adapter, then never record the outcome — exactly what a kill -9
    // between the provider's 250 and our commit leaves behind (delivery-crash.e2e-spec.ts does it with a real kill -9)
    const repo = t.service.app.get(DeliveryRepository);
    const claimed = await repo.claim(clock.now(), 120_000, 10);
    expect(claimed.map((c) => c.channel).sort()).toEqual(['email', 'sms']);
    expect(await worker.tick()).toMatchObject({ claimed: 0 }); // leased: nobody else takes them
    const email = claimed.find((c) => c.channel === 'email')!;
    await nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, ignoreTLS: true }).sendMail({
      from: 'x@aftersales.test',
      to: email.recipient,
      subject: email.subject!,
      text: email.body!,
      messageId: `<${email.id}@aftersales.test>`,
      headers: { 'X-Aftersales-Case': caseId },
    });
    expect(mailsTo(caseId)).toHaveLength(1);

    clock.advance(120_001); // the lease runs out
    expect(await worker.tick()).toMatchObject({ claimed: 2, sent: 2, resent: 2 });
    const mails = mailsTo(caseId);
    expect(mails).toHaveLength(2);
    expect(mails[1]!.messageId).toBe(mails[0]!.messageId);
    expect(mails[1]!.headers.get('x-aftersales-resend')).toBe('2');
    const rows = await deliveries(caseId);
    expect(rows.find((d: { channel: string }) => d.channel === 'email')).toMatchObject({ status: 'sent', attempts: 2, resends: 1 });
    const metrics = String((await t.http('GET', '/metrics')).body);
    expect(metricValue(metrics, 'aftersales_notification_resends_total', { channel: 'email' })).toBe(1);
    expect(metricValue(metrics, 'aftersales_notification_resends_total', { channel: 'sms' })).toBe(1);
  });

  it('keeps the provider answer of a refused SMS, retries with backoff, and gives up after NOTIFY_MAX_ATTEMPTS', async () => {
    const caseId = randomUUID();
    sms.answer = () => ({ status: 503, body: '{"message":"try later"}' });
    await deliver(t.bus, rungB0(caseId, clock.now()));
    await worker.tick();
    const smsRow = async () => (await deliveries(caseId)).find((d: { channel: string }) => d.channel === 'sms');
    expect(await smsRow()).toMatchObject({ status: 'failed', attempts: 1, providerAnswer: expect.stringContaining('503') });
    // not due yet: nothing is claimed
    expect(await worker.tick()).toMatchObject({ claimed: 0 });
    for (let i = 2; i <= 6; i++) {
      clock.advanceMinutes(120);
      await worker.tick();
    }
    expect(await smsRow()).toMatchObject({ status: 'dead', attempts: 6 });
    // a 4xx is permanent at once
    sms.answer = () => ({ status: 400, body: '{"code":21211,"message":"invalid To"}' });
    const other = randomUUID();
    await deliver(t.bus, rungB0(other, clock.now()));
    await worker.tick();
    const dead = (await deliveries(other)).find((d: { channel: string }) => d.channel === 'sms');
    expect(dead).toMatchObject({ status: 'dead', attempts: 1, providerAnswer: expect.stringContaining('21211') });
    sms.answer = () => ({ status: 201, body: '{"sid":"SM1"}' });
    // an operator sends it again after fixing things
    const retried = await t.http('POST', `/deliveries/${dead.id}/retry`, { role: 'manager' });
    expect(retried.status).toBe(200);
    expect(await worker.tick()).toMatchObject({ sent: 1 });
  });

  it('customers see nothing of staff deliveries; a person reads only their own inbox', async () => {
    const caseId = randomUUID();
    await deliver(t.bus, rungB0(caseId, clock.now()));
    const asCustomer = await t.http('GET', `/deliveries?caseId=${caseId}`, { token: await tokenFor('customer', { customerId: 'C-100' }) });
    expect(asCustomer.body.items).toEqual([]);
    const south = await t.http('GET', `/deliveries?caseId=${caseId}`, { token: await tokenFor('manager', { region: 'south' }) });
    expect(south.body.items).toEqual([]);
    // an admin is no exception: only a token with the explicit global claim reads every region
    const southAdmin = await t.http('GET', `/deliveries?caseId=${caseId}`, { token: await tokenFor('admin', { region: 'south' }) });
    expect(southAdmin.body.items).toEqual([]);
    const global = await t.http('GET', `/deliveries?caseId=${caseId}`, {
      token: await tokenFor('admin', { region: 'south', global: true }),
    });
    expect(global.body.items.length).toBeGreaterThan(0);

    const mine = (await inboxOf('wang.fang')).items.find((i: { caseId: string }) => i.caseId === caseId);
    const other = await t.http('POST', `/inbox/${mine.id}/read`, { token: await tokenFor('manager', { sub: 'li.si' }) });
    expect(other.status).toBe(404);
    const token = await tokenFor('manager', { sub: 'wang.fang' });
    const before = (await t.http('GET', '/inbox/unread-count', { token })).body.unread;
    const read = await t.http('POST', `/inbox/${mine.id}/read`, { token });
    expect(read.status).toBe(200);
    expect((await t.http('GET', '/inbox/unread-count', { token })).body.unread).toBe(before - 1);
    expect((await t.http('GET', '/inbox?unread=true', { token })).body.items.map((i: { id: string }) => i.id)).not.toContain(mine.id);
  });
});
