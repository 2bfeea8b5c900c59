import { InProcessBus } from '@aftersales/messaging';
import { recordTopic, startTestService, TestService, tokenFor, waitFor } from '@aftersales/testing';
import { createTransport, SendMailOptions } from 'nodemailer';
import { SmtpListener } from '../src/channels';
import { intakeService } from '../src/intake.service-definition';
import { seedRegistry } from './requests.seed';

const SUPPORT = 'support@aftersales.local';

describe('intake channels: email in over real SMTP (real PostgreSQL, in-process bus)', () => {
  let t: TestService;
  let published: Awaited<ReturnType<typeof recordTopic>>;
  let send: (mail: SendMailOptions) => Promise<{ response: string }>;

  beforeAll(async () => {
    const bus = new InProcessBus();
    published = await recordTopic(bus, 'aftersales.intake.requests.v1');
    t = await startTestService(intakeService, { bus, env: { INTAKE_SMTP_PORT: '0', INTAKE_SMTP_MAX_BYTES: '200000' } });
    await seedRegistry(t.service.runtime.dataSource, {
      customers: [{ id: 'C-MAIL' }, { id: 'C-OTHER' }],
      contacts: [
        { id: 'CT-LI', customerId: 'C-MAIL', name: 'Li Wei', email: 'Li.Wei@acme.example', phone: '+86 10 5555 0100' },
        { id: 'CT-ZH', customerId: 'C-OTHER', name: 'Zhang San', email: 'zhang@other.example' },
      ],
      contracts: [{ id: 'K-MAIL', customerId: 'C-MAIL', startsOn: '2020-01-01', endsOn: '2099-12-31' }],
    });
    const port = t.service.app.get(SmtpListener).port;
    expect(port).toBeGreaterThan(0);
    const transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    send = (mail) => transport.sendMail({ to: SUPPORT, ...mail });
  });
  afterAll(() => t?.stop());

  const count = async (table: string, where = 'true') => {
    const [{ n }] = await t.service.runtime.dataSource.query(`SELECT count(*)::int AS n FROM "${t.schema}".${table} WHERE ${where}`);
    return n as number;
  };
  const writes = async () => ({
    emails: await count('inbound_emails'),
    attachments: await count('attachments'),
    requests: await count('service_requests'),
    outbox: await count('outbox'),
  });

  it('turns a mail from a registered contact into a request with its attachment kept', async () => {
    const log = 'E42 controller A offline at 02:13\n'.repeat(50);
    await send({
      from: 'Li Wei <li.wei@acme.example>',
      subject: 'Storage array offline',
      text: 'Both controllers report E42 since the power failure.',
      messageId: '<offline-1@acme.example>',
      attachments: [{ filename: 'controller.log', content: log, contentType: 'text/plain' }],
    });

    const event = await waitFor('the request event', () =>
      published.find((e) => e.type === 'intake.request.received.v1' && (e.data as { channel: string }).channel === 'email'),
    );
    const data = event.data as Record<string, any>;
    expect(data).toMatchObject({ channel: 'email', customerId: 'C-MAIL', contactId: 'CT-LI', contact: { name: 'Li Wei' } });
    expect(data.symptom).toContain('Storage array offline');
    expect(data.symptom).toContain('Both controllers report E42');
    expect(data.attachments).toEqual([
      { attachmentId: expect.any(String), filename: 'controller.log', contentType: 'text/plain', size: Buffer.byteLength(log) },
    ]);

    const request = await t.http('GET', `/requests/${data.requestId}`);
    expect(request.body).toMatchObject({ channel: 'email', customerId: 'C-MAIL', createdBy: 'system:intake-email' });

    // the bytes come back as sent, to staff and to the customer itself; another customer gets 404
    const id = data.attachments[0].attachmentId;
    for (const token of [await tokenFor('agent'), await tokenFor('customer', { customerId: 'C-MAIL' })]) {
      const res = await fetch(`${t.service.url}/attachments/${id}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toBe(log);
    }
    expect((await t.http('GET', `/attachments/${id}`, { token: await tokenFor('customer', { customerId: 'C-OTHER' }) })).status).toBe(404);
    expect((await t.http('GET', `/attachments/${id}`, { token: await tokenFor('agent', { region: 'south' }) })).status).toBe(404);
    expect((await t.http('GET', '/attachments/7b1b7c1e-8f52-4a55-9d8f-3f4a2b1c0d9e')).status).toBe(404);
    expect((await t.http('GET', '/attachments/not-a-uuid')).status).toBe(400);
  });

  it('accepts a resent mail (same Message-ID) but files it only once', async () => {
    const mail = { from: 'li.wei@acme.example', subject: 'Fan alarm', text: 'fan 2 alarm', messageId: '<fan-1@acme.example>' };
    await send(mail);
    const before = await writes();
    const again = await send({ ...mail, text: 'fan 2 alarm (resent by the client)' });
    expect(again.response).toMatch(/^250 .*already received/);
    expect(await writes()).toEqual(before);
    expect(await count('service_requests', `symptom LIKE 'Fan alarm%'`)).toBe(1);
  });

  it('finishes filing a mail stored before a crash when it is resent, still with one request', async () => {
    // as if the process died between storing the mail and filing its request
    await t.service.runtime.dataSource.query(
      `INSERT INTO "${t.schema}".inbound_emails (id, message_id, from_address, subject, text, region, received_at, status, customer_id, contact_id)
       VALUES (gen_random_uuid(), '<crash-1@acme.example>', 'li.wei@acme.example', 'Disk failed', 'slot 4', 'north', now(), 'received', 'C-MAIL', 'CT-LI')`,
    );
    const before = await writes();
    const res = await send({ from: 'li.wei@acme.example', subject: 'Disk failed', text: 'slot 4', messageId: '<crash-1@acme.example>' });
    expect(res.response).toMatch(/already received/);
    const [row] = await t.service.runtime.dataSource.query(
      `SELECT status, request_id FROM "${t.schema}".inbound_emails WHERE message_id = '<crash-1@acme.example>'`,
    );
    expect(row.status).toBe('filed');
    expect(await writes()).toEqual({ ...before, requests: before.requests + 1, outbox: before.outbox + 1 });
    await send({ from: 'li.wei@acme.example', subject: 'Disk failed', text: 'slot 4', messageId: '<crash-1@acme.example>' });
    expect(await count('service_requests', `symptom LIKE 'Disk failed%'`)).toBe(1);
  });

  it('threads a reply by the case number in the subject: an event for the case, no new request', async () => {
    const before = await writes();
    await send({
      from: 'Li Wei <li.wei@acme.example>',
      subject: 'Re: [NORTH-2026-000123] Storage array offline',
      text: 'The array is back after the reboot, thanks.',
      messageId: '<reply-1@acme.example>',
      attachments: [{ filename: 'after-reboot.txt', content: 'all paths up' }],
    });
    const event = await waitFor('the reply event', () => published.find((e) => e.type === 'intake.email.reply-received.v1'));
    expect(event.data).toMatchObject({
      messageId: '<reply-1@acme.example>',
      caseNumber: 'NORTH-2026-000123',
      customerId: 'C-MAIL',
      from: 'li.wei@acme.example',
      text: 'The array is back after the reboot, thanks.',
      attachments: [{ filename: 'after-reboot.txt', size: 12 }],
    });
    const after = await writes();
    expect(after.requests).toBe(before.requests);
    expect(after.emails).toBe(before.emails + 1);
    // also recognised as "Case <number>" without brackets
    await send({ from: 'someone@unknown.example', subject: 'Case NORTH-2026-000124 logs', text: 'see logs', messageId: '<reply-2@x>' });
    await waitFor('the second reply', () =>
      published.find((e) => e.type === 'intake.email.reply-received.v1' && (e.data as any).caseNumber === 'NORTH-2026-000124'),
    );
    expect(await count('service_requests')).toBe(before.requests);
  });

  it('keeps mail from an unknown sender for an agent, who files it for a customer', async () => {
    await send({
      from: 'Wang Fang <wang.fang@newcomer.example>',
      subject: 'Printer jams',
      text: 'Tray 2 jams on every page',
      messageId: '<jam-1@newcomer.example>',
      attachments: [{ filename: 'jam.png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), contentType: 'image/png' }],
    });
    const unmatched = await t.http('GET', '/emails?status=unmatched');
    expect(unmatched.status).toBe(200);
    const mail = unmatched.body.items.find((e: any) => e.messageId === '<jam-1@newcomer.example>');
    expect(mail).toMatchObject({ status: 'unmatched', from: 'wang.fang@newcomer.example', subject: 'Printer jams', requestId: null });
    const detail = await t.http('GET', `/emails/${mail.id}`);
    expect(detail.body.attachments).toEqual([expect.objectContaining({ filename: 'jam.png', contentType: 'image/png', size: 7 })]);
    const attachmentId = detail.body.attachments[0].attachmentId;
    // not the customer's until an agent says so
    expect(
      (await t.http('GET', `/attachments/${attachmentId}`, { token: await tokenFor('customer', { customerId: 'C-MAIL' }) })).status,
    ).toBe(404);

    // refused filings write nothing
    const before = await writes();
    const bad = await t.http('POST', `/emails/${mail.id}/file`, { body: { customerId: 'C-MAIL', severity: 'P9', fax: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field)).toEqual(expect.arrayContaining(['severity', 'fax']));
    const missing = await t.http('POST', `/emails/${mail.id}/file`, { body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: any) => e.field)).toContain('customerId');
    const unknown = await t.http('POST', `/emails/${mail.id}/file`, { body: { customerId: 'C-NOBODY' } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'customerId' })]);
    expect(
      (
        await t.http('POST', `/emails/${mail.id}/file`, {
          body: { customerId: 'C-MAIL' },
          token: await tokenFor('customer', { customerId: 'C-MAIL' }),
        })
      ).status,
    ).toBe(404); // a staff-only route about a record: 404 for customers

    expect(await writes()).toEqual(before);

    const filed = await t.http('POST', `/emails/${mail.id}/file`, { body: { customerId: 'C-MAIL', severity: 'P4' } });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ status: 'filed', customerId: 'C-MAIL', filedBy: 'test-agent' });
    const event = await waitFor('the filed request', () => published.find((e) => e.subject === filed.body.requestId));
    expect(event.data).toMatchObject({
      channel: 'email',
      customerId: 'C-MAIL',
      severity: 'P4',
      contact: { name: 'Wang Fang', email: 'wang.fang@newcomer.example' },
      attachments: [expect.objectContaining({ attachmentId, filename: 'jam.png' })],
    });
    expect((await t.http('GET', '/emails?status=unmatched')).body.items.map((e: any) => e.id)).not.toContain(mail.id);
    const twice = await t.http('POST', `/emails/${mail.id}/file`, { body: { customerId: 'C-MAIL' } });
    expect(twice.status).toBe(409);
    // now the customer's own file
    expect(
      (await t.http('GET', `/attachments/${attachmentId}`, { token: await tokenFor('customer', { customerId: 'C-MAIL' }) })).status,
    ).toBe(200);
  });

  it('refuses mail for other addresses (550) and over the size limit (552), storing nothing', async () => {
    const before = await writes();
    await expect(send({ to: 'sales@aftersales.local', from: 'li.wei@acme.example', subject: 'hi', text: 'x' })).rejects.toMatchObject({
      responseCode: 550,
    });
    await expect(
      send({
        from: 'li.wei@acme.example',
        subject: 'huge',
        text: 'x',
        attachments: [{ filename: 'dump.bin', content: Buffer.alloc(300_000, 7) }],
      }),
    ).rejects.toMatchObject({ responseCode: 552 });
    expect(await writes()).toEqual(before);
  });

  it('lets only staff see the mail queue, and validates its query', async () => {
    expect((await t.http('GET', '/emails', { token: await tokenFor('customer', { customerId: 'C-MAIL' }) })).status).toBe(403);
    const bad = await t.http('GET', '/emails?status=lost');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field)).toContain('status');
    const south = await t.http('GET', '/emails', { token: await tokenFor('agent', { region: 'south' }) });
    expect(south.body.total).toBe(0);
  });
});
