import { startTestService, TestService } from '@aftersales/testing';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport, SendMailOptions } from 'nodemailer';
import { SmtpListener } from '../src/channels';
import { intakeService } from '../src/intake.service-definition';
import { seedRegistry } from './requests.seed';

/** Issue 16 item 3: a listener that demands STARTTLS and AUTH, driven by nodemailer as a real client. */
describe('intake SMTP with STARTTLS and AUTH', () => {
  let t: TestService;
  let dir: string;
  let port: number;
  let ca: Buffer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smtp-tls-'));
    // a self-signed certificate for 127.0.0.1, made by Debian's openssl
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
      '-subj', '/CN=intake.test', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt'),
    ], { stdio: 'ignore' }); // prettier-ignore
    ca = readFileSync(join(dir, 'tls.crt'));
    t = await startTestService(intakeService, {
      env: {
        INTAKE_SMTP_PORT: '0',
        INTAKE_SMTP_TLS_CERT_FILE: join(dir, 'tls.crt'),
        INTAKE_SMTP_TLS_KEY_FILE: join(dir, 'tls.key'),
        INTAKE_SMTP_REQUIRE_TLS: 'true',
        INTAKE_SMTP_USERS: 'gateway:s3cret:with-colon,backup:other',
      },
    });
    await seedRegistry(t.service.runtime.dataSource, {
      customers: [{ id: 'C-TLS' }],
      contacts: [{ id: 'CT-TLS', customerId: 'C-TLS', name: 'Li Wei', email: 'li@tls.example' }],
      contracts: [{ id: 'K-TLS', customerId: 'C-TLS', startsOn: '2020-01-01', endsOn: '2099-12-31' }],
    });
    port = t.service.app.get(SmtpListener).port!;
  });
  afterAll(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const send = (o: { tls: boolean; auth?: { user: string; pass: string }; method?: string }, mail: SendMailOptions) =>
    createTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      ...(o.tls ? { requireTLS: true, tls: { ca } } : { ignoreTLS: true }),
      auth: o.auth,
      authMethod: o.method,
    }).sendMail({ to: 'support@aftersales.local', from: 'li@tls.example', ...mail });

  const rejected = async (reason: string) => {
    const text = await (await fetch(`${t.service.url}/metrics`)).text();
    // the registry adds its default labels (service) after the metric's own
    const line = text.split('\n').find((l) => l.startsWith(`aftersales_mail_rejected_total{region="north",reason="${reason}",`));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  };

  it('files mail sent over STARTTLS by a user who passed AUTH PLAIN or LOGIN', async () => {
    expect({ tls: await rejected('tls'), auth: await rejected('auth') }).toEqual({ tls: 0, auth: 0 });
    for (const method of ['PLAIN', 'LOGIN']) {
      const info = await send(
        { tls: true, auth: { user: 'gateway', pass: 's3cret:with-colon' }, method },
        {
          subject: `array down (${method})`,
          text: 'E42',
          messageId: `<tls-${method}@tls.example>`,
        },
      );
      expect((info as { response: string }).response).toMatch(/^250 .*received as/);
    }
    const list = await t.http('GET', '/emails?status=filed', { role: 'agent' });
    expect(list.status).toBe(200);
    expect(list.body.items.map((m: { subject: string }) => m.subject).sort()).toEqual(['array down (LOGIN)', 'array down (PLAIN)']);
  });

  it('refuses mail in clear, without AUTH, or with a wrong password, and counts each refusal', async () => {
    await expect(send({ tls: false }, { subject: 'clear', text: 'x' })).rejects.toThrow(/530.*STARTTLS/);
    await expect(send({ tls: true }, { subject: 'anonymous', text: 'x' })).rejects.toThrow(/530.*authentication required/);
    await expect(
      send({ tls: true, auth: { user: 'gateway', pass: 'wrong' }, method: 'PLAIN' }, { subject: 'bad', text: 'x' }),
    ).rejects.toThrow(/535/);
    await expect(
      send({ tls: true, auth: { user: 'nobody', pass: 'other' }, method: 'LOGIN' }, { subject: 'who', text: 'x' }),
    ).rejects.toThrow(/535/);
    expect({ tls: await rejected('tls'), auth: await rejected('auth') }).toEqual({ tls: 1, auth: 3 });
    const all = await t.http('GET', '/emails', { role: 'agent' });
    expect(all.body.items.map((m: { subject: string }) => m.subject)).not.toEqual(
      expect.arrayContaining(['clear', 'anonymous', 'bad', 'who']),
    );
  });

  it('will not start with AUTH users but no certificate, naming the variable', async () => {
    await expect(startTestService(intakeService, { env: { INTAKE_SMTP_PORT: '0', INTAKE_SMTP_USERS: 'gateway:pw' } })).rejects.toThrow(
      /INTAKE_SMTP_USERS/,
    );
  });
});
