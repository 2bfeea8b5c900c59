import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import {
  ChildHandle,
  deliver,
  freePort,
  parentWatchdogPreload,
  REPO_ROOT,
  spawnLogged,
  startTestService,
  tempDir,
  TEST_JWT_SECRET,
  testDatabaseUrl,
  TestService,
  tokenFor,
  TS_REGISTER,
  upstreamEvent,
  waitFor,
  waitForReady,
  withLogsOnFailure,
} from '@aftersales/testing';
import { DeliveryWorker } from '../src/deliveries/delivery-worker';
import { notifyService } from '../src/notify.service-definition';
import { channelEnv, HttpRecorder, metricValue, SmtpListener, startHttpRecorder, startSmtpListener } from './support/peers';

/**
 * kill -9 of notify mid-send. Two replicas on one schema: this process consumes the events (its
 * delivery loop off), a separate OS process runs the delivery loop. The SMTP listener takes the
 * e-mail and, before answering 250, SIGKILLs the sending process: the provider has the message,
 * our log still says `sending`. The event is redelivered (nothing new), then the surviving replica
 * claims the row once its lease has run out and sends it again — the same Message-ID, counted as a
 * resend. In-app and SMS stay at one each (or an SMS resend with the same idempotency token, counted).
 */
describe('notify: kill -9 between the provider accepting the e-mail and our commit (separate process, real PostgreSQL, SMTP, HTTP)', () => {
  const logDir = tempDir('notify-crash');
  const clock = new ManualClock(new Date());
  let t: TestService;
  let smtp: SmtpListener;
  let sms: HttpRecorder;
  let sender: ChildHandle | undefined;

  beforeAll(async () => {
    smtp = await startSmtpListener();
    sms = await startHttpRecorder();
    t = await startTestService(notifyService, {
      bus: new InProcessBus(),
      clock,
      env: { ...channelEnv(smtp, sms), NOTIFY_DELIVERY_POLL_MS: '0' },
    });
    const put = await t.http('PUT', '/people/wang.fang', {
      role: 'admin',
      body: {
        name: 'Wang Fang',
        region: 'north',
        roles: ['manager1'],
        language: 'en',
        email: 'wang.fang@example.com',
        phone: '+8613800000001',
      },
    });
    expect(put.status).toBe(200);
  });
  afterAll(async () => {
    if (sender?.running()) await sender.stop(10_000);
    await t?.stop();
    await smtp?.close();
    await sms?.close();
  });

  async function startSender(): Promise<ChildHandle> {
    const port = await freePort();
    const handle = spawnLogged(
      'notify-sender',
      process.execPath,
      ['-r', parentWatchdogPreload(), '-r', TS_REGISTER, join(REPO_ROOT, 'services', 'notify', 'src', 'main.ts')],
      {
        logDir,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_ENV: 'test',
          PORT: String(port),
          REGION: 'north',
          DATABASE_URL: testDatabaseUrl(),
          DB_SCHEMA: t.schema,
          DB_POOL_SIZE: '4',
          JWT_SECRET: TEST_JWT_SECRET,
          LOG_LEVEL: 'warn',
          ...channelEnv(smtp, sms),
          NOTIFY_DELIVERY_POLL_MS: '50',
          NOTIFY_SEND_CONCURRENCY: '1',
        },
      },
    );
    const m = await handle.waitForLog(/"msg":"listening on (http:\/\/[^"]+)"/, 90_000);
    await waitForReady(m[1]!, handle, 60_000);
    return handle;
  }

  it('resends the e-mail with the same Message-ID after the crash, counted; in-app and SMS stay once each', () =>
    withLogsOnFailure(
      () => [sender],
      async () => {
        sender = await startSender();
        const caseId = randomUUID();
        const mails = () => smtp.messages.filter((m) => m.headers.get('x-aftersales-case') === caseId);
        let killed: Promise<unknown> | undefined;
        smtp.onMessage = async (m) => {
          if (m.headers.get('x-aftersales-case') !== caseId || killed) return;
          // the listener has the whole message; the sender dies before it hears 250
          killed = sender!.kill9();
          await killed;
        };

        const at = clock.now().toISOString();
        const event = upstreamEvent('escalation.rung.reached.v1', caseId, {
          clockId: randomUUID(),
          caseId,
          region: 'north',
          severity: 'P1',
          policyId: 'ladder-b',
          policyVersion: 1,
          eventKey: 'rung:0',
          dueAt: at,
          firedAt: at,
          target: 'diagnosis',
          rungIndex: 0,
          afterMinutes: 10,
          label: '10min: Manager1 / senior engineer (Manager1/高级工程师)',
          notifyRoles: ['manager1'],
        });
        await deliver(t.bus, event);

        await waitFor('the sending process to be killed mid-send', () => (killed && !sender!.running() ? true : undefined), {
          timeoutMs: 30_000,
        });
        expect(sender.exitInfo()?.signal).toBe('SIGKILL');
        expect(mails()).toHaveLength(1);
        const rows = async () => (await t.http('GET', `/deliveries?caseId=${caseId}`, { role: 'manager' })).body.items;
        const email = () => rows().then((r) => r.find((d: { channel: string }) => d.channel === 'email'));
        expect(await email()).toMatchObject({ status: 'sending', attempts: 1 });

        // the broker redelivers the event: nothing new is written or sent
        await deliver(t.bus, event);
        expect(await rows()).toHaveLength(3);

        // the survivor, once the dead sender's lease has run out
        const worker = t.service.app.get(DeliveryWorker);
        clock.set(new Date(Date.now() + 120_000 + 1_000));
        const tick = await worker.tick();
        expect(tick.resent).toBeGreaterThanOrEqual(1);

        const [first, second] = mails();
        expect(mails()).toHaveLength(2);
        expect(second!.messageId).toBe(first!.messageId);
        const row = await email();
        expect(row).toMatchObject({ status: 'sent', attempts: 2, resends: 1, messageId: first!.messageId });
        expect(second!.messageId).toBe(`<${row.id}@aftersales.test>`);
        const metrics = String((await t.http('GET', '/metrics')).body);
        expect(metricValue(metrics, 'aftersales_notification_resends_total', { channel: 'email' })).toBe(1);

        // SMS: once, or (claimed in the same batch, its outcome unknown) sent again with the same token and counted
        const text = (await rows()).find((d: { channel: string }) => d.channel === 'sms');
        const texts = sms.requests.filter((r) => r.headers['i-twilio-idempotency-token'] === text.id);
        expect(text.status).toBe('sent');
        expect(texts.length).toBeGreaterThanOrEqual(1);
        expect(texts.length).toBeLessThanOrEqual(2);
        if (texts.length === 2) expect(text.resends).toBe(1);

        const inbox = (await t.http('GET', '/inbox', { token: await tokenFor('manager', { sub: 'wang.fang' }) })).body.items;
        expect(inbox.filter((i: { caseId: string }) => i.caseId === caseId)).toHaveLength(1);
      },
    ));
});
