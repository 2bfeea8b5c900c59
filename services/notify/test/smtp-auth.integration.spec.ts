import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { InProcessBus } from '@aftersales/messaging';
import { caseOpened, deliver, startTestService, TestService, upstreamEvent } from '@aftersales/testing';
import { DeliveryWorker } from '../src/deliveries/delivery-worker';
import { notifyService } from '../src/notify.service-definition';

describe('notify e-mail with SMTP AUTH (real smtp-server requiring a login)', () => {
  let t: TestService;
  let server: SMTPServer;
  const logins: string[] = [];
  const accepted: string[] = [];

  beforeAll(async () => {
    server = new SMTPServer({
      authMethods: ['PLAIN', 'LOGIN'],
      allowInsecureAuth: true, // no TLS on the loopback test listener
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth(auth, _session, callback) {
        logins.push(`${auth.username}:${auth.password}`);
        if (auth.username === 'notify' && auth.password === 'right-password') callback(null, { user: auth.username });
        else callback(new Error('535 invalid credentials'));
      },
      onData(stream, session, callback) {
        stream.resume();
        stream.on('end', () => {
          accepted.push(`${session.user}:${session.envelope.rcptTo.map((r) => r.address).join(',')}`);
          callback();
        });
      },
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
    t = await startTestService(notifyService, {
      bus: new InProcessBus(),
      env: {
        NOTIFY_DELIVERY_POLL_MS: '0',
        NOTIFY_SMTP_HOST: '127.0.0.1',
        NOTIFY_SMTP_PORT: String((server.server.address() as AddressInfo).port),
        NOTIFY_SMTP_STARTTLS: 'off',
        NOTIFY_SMTP_USER: 'notify',
        NOTIFY_SMTP_PASSWORD: 'right-password',
      },
    });
  });
  afterAll(async () => {
    await t?.stop();
    await new Promise<void>((ok) => server.close(() => ok()));
  });

  it('logs in before sending the acknowledgement', async () => {
    const opened = caseOpened({ caseId: randomUUID(), contact: { name: 'Li', email: 'li.auth@example.com' } });
    await deliver(t.bus, upstreamEvent('case.opened.v1', opened.caseId, opened));
    expect(await t.service.app.get(DeliveryWorker).tick()).toMatchObject({ sent: 1 });
    expect(logins).toContain('notify:right-password');
    expect(accepted).toEqual(['notify:li.auth@example.com']);
  });
});
