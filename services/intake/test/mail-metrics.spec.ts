import { startTestService, TestService } from '@aftersales/testing';
import { createTransport, SendMailOptions } from 'nodemailer';
import { SmtpListener } from '../src/channels';
import { intakeService } from '../src/intake.service-definition';
import { seedRegistry } from './requests.seed';

/** Issue 16 items 3 and 8: the mail an ops team counts, at 0 from the start (real SMTP, real PostgreSQL). */
describe('intake mail metrics', () => {
  let t: TestService;
  let send: (mail: SendMailOptions) => Promise<unknown>;

  beforeAll(async () => {
    t = await startTestService(intakeService, { env: { INTAKE_SMTP_PORT: '0', INTAKE_SMTP_MAX_BYTES: '20000' } });
    await seedRegistry(t.service.runtime.dataSource, {
      customers: [{ id: 'C-MM' }],
      contacts: [{ id: 'CT-MM', customerId: 'C-MM', name: 'Li Wei', email: 'li@mm.example' }],
      contracts: [{ id: 'K-MM', customerId: 'C-MM', startsOn: '2020-01-01', endsOn: '2099-12-31' }],
    });
    const transport = createTransport({ host: '127.0.0.1', port: t.service.app.get(SmtpListener).port, secure: false, ignoreTLS: true });
    send = (mail) => transport.sendMail({ to: 'support@aftersales.local', ...mail });
  });
  afterAll(() => t?.stop());

  const sample = async (series: string) => {
    const text = await (await fetch(`${t.service.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(series + ' ') || l.startsWith(series.replace(/}$/, ',')));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  };
  const received = (outcome: string) => sample(`aftersales_mail_received_total{region="north",outcome="${outcome}"}`);
  const rejected = (reason: string) => sample(`aftersales_mail_rejected_total{region="north",reason="${reason}"}`);

  it('counts mail filed, unmatched, duplicated and refused, each series there at 0 before the first mail', async () => {
    for (const o of ['filed', 'reply', 'unmatched', 'duplicate']) expect(await received(o)).toBe(0);
    expect(await sample('aftersales_mail_unmatched{region="north"}')).toBe(0); // read from the table, every 10 s at most
    for (const r of ['recipient', 'size', 'storage']) expect(await rejected(r)).toBe(0);
    expect(await sample('aftersales_handoff_overdue_total{region="north",severity="P1"}')).toBe(0);

    await send({ from: 'li@mm.example', subject: 'array down', text: 'E42', messageId: '<mm-1@mm.example>' });
    await send({ from: 'li@mm.example', subject: 'array down', text: 'E42', messageId: '<mm-1@mm.example>' });
    await send({ from: 'nobody@elsewhere.example', subject: 'who am I', text: '?', messageId: '<mm-2@elsewhere.example>' });
    await expect(send({ from: 'li@mm.example', to: 'sales@aftersales.local', subject: 'x', text: 'y' })).rejects.toThrow(/550/);
    await expect(send({ from: 'li@mm.example', subject: 'big', text: 'x'.repeat(40_000) })).rejects.toThrow(/552/);

    expect({
      filed: await received('filed'),
      duplicate: await received('duplicate'),
      unmatched: await received('unmatched'),
      recipient: await rejected('recipient'),
      size: await rejected('size'),
    }).toEqual({ filed: 1, duplicate: 1, unmatched: 1, recipient: 1, size: 1 });
  });
});
