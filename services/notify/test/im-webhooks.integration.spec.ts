import { createHmac } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import { caseOpened, deliver, startTestService, TestService, upstreamEvent } from '@aftersales/testing';
import { DeliveryWorker } from '../src/deliveries/delivery-worker';
import { notifyService } from '../src/notify.service-definition';
import { rungReached } from './support/notify';
import { HttpRecorder, startHttpRecorder } from './support/peers';

const WECOM_KEY = 'wecom-robot-key-0001';
const DING_TOKEN = 'dingtalk-access-token-0001';
const DING_SECRET = 'SEC0123456789abcdef';

describe('notify IM robots (WeCom, DingTalk signed) and signed customer webhooks (real HTTP peers, real PostgreSQL)', () => {
  const clock = new ManualClock('2026-03-02T10:00:00+08:00');
  let t: TestService;
  let peer: HttpRecorder;
  let worker: DeliveryWorker;
  let robotAnswer: { wecom: unknown; dingtalk: unknown };

  beforeAll(async () => {
    peer = await startHttpRecorder();
    robotAnswer = { wecom: { errcode: 0, errmsg: 'ok' }, dingtalk: { errcode: 0, errmsg: 'ok' } };
    peer.answer = (r) =>
      r.path.startsWith('/cgi-bin/webhook/send')
        ? { status: 200, body: JSON.stringify(robotAnswer.wecom) }
        : r.path.startsWith('/robot/send')
          ? { status: 200, body: JSON.stringify(robotAnswer.dingtalk) }
          : { status: 202, body: '' };
    t = await startTestService(notifyService, {
      bus: new InProcessBus(),
      clock,
      env: {
        NOTIFY_DELIVERY_POLL_MS: '0',
        NOTIFY_DEFAULT_LANGUAGE: 'en',
        NOTIFY_WECOM_URL: peer.url,
        NOTIFY_DINGTALK_URL: peer.url,
        NOTIFY_DINGTALK_SECRET: DING_SECRET,
      },
    });
    worker = t.service.app.get(DeliveryWorker);
    const put = await t.http('PUT', '/people/ops.group', {
      role: 'admin',
      body: { name: 'North ops group', region: 'north', roles: ['manager2'], wecom: WECOM_KEY, dingtalk: DING_TOKEN },
    });
    expect(put.status).toBe(200);
  });
  afterAll(async () => {
    await t?.stop();
    await peer?.close();
  });

  const rung = (caseId: string) => rungReached(caseId, clock.now());

  it('posts the robots’ documented markdown JSON; DingTalk’s URL carries timestamp and HMAC-SHA256 signature', async () => {
    const caseId = randomUUID();
    await deliver(t.bus, rung(caseId));
    expect(await worker.tick()).toMatchObject({ claimed: 2, sent: 2 });

    const wecom = peer.requests.find((r) => r.path.startsWith('/cgi-bin/webhook/send'))!;
    expect(wecom.path).toBe(`/cgi-bin/webhook/send?key=${WECOM_KEY}`);
    const wBody = JSON.parse(wecom.body);
    expect(wBody.msgtype).toBe('markdown');
    expect(wBody.markdown.content).toMatch(/^\*\*\[P1\] escalation: 1h: Manager2/);

    const ding = peer.requests.find((r) => r.path.startsWith('/robot/send'))!;
    const url = new URL(ding.path, peer.url);
    expect(url.searchParams.get('access_token')).toBe(DING_TOKEN);
    const ts = url.searchParams.get('timestamp')!;
    expect(Number(ts)).toBe(clock.now().getTime());
    // DingTalk's recipe: base64(HMAC-SHA256(secret, timestamp + "\n" + secret)), URL-encoded in the query
    const expected = createHmac('sha256', DING_SECRET).update(`${ts}\n${DING_SECRET}`).digest('base64');
    expect(url.searchParams.get('sign')).toBe(expected);
    expect(ding.path).toContain(`sign=${encodeURIComponent(expected)}`);
    const dBody = JSON.parse(ding.body);
    expect(dBody).toMatchObject({ msgtype: 'markdown', markdown: { title: expect.stringContaining('[P1] escalation') } });
    expect(dBody.markdown.text).toMatch(/^### /);
  });

  it('retries a robot that says "too fast" and gives up at once on one that refuses the message', async () => {
    robotAnswer = {
      wecom: { errcode: 45009, errmsg: 'api freq out of limit' },
      dingtalk: { errcode: 310000, errmsg: 'keywords not in content' },
    };
    const caseId = randomUUID();
    await deliver(t.bus, rung(caseId));
    await worker.tick();
    const rows = (await t.http('GET', `/deliveries?caseId=${caseId}`, { role: 'manager' })).body.items;
    expect(rows.find((d: { channel: string }) => d.channel === 'wecom')).toMatchObject({
      status: 'failed',
      providerAnswer: expect.stringContaining('45009'),
    });
    expect(rows.find((d: { channel: string }) => d.channel === 'dingtalk')).toMatchObject({
      status: 'dead',
      providerAnswer: expect.stringContaining('310000'),
    });
    robotAnswer = { wecom: { errcode: 0, errmsg: 'ok' }, dingtalk: { errcode: 0, errmsg: 'ok' } };
  });

  it('signs a customer webhook with HMAC-SHA256 over timestamp and body, with the delivery id as Idempotency-Key', async () => {
    const secret = 'customer-shared-secret-0001';
    const put = await t.http('PUT', '/webhooks/C-300', { role: 'admin', body: { url: `${peer.url}/hooks/aftersales`, secret } });
    expect(put.status).toBe(200);
    expect(put.body).not.toHaveProperty('secret');
    const bad = await t.http('PUT', '/webhooks/C-300', { role: 'admin', body: { url: 'ftp://x', secret: 'short' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['secret', 'url']);

    const opened = caseOpened({ customerId: 'C-300', contact: { name: 'Li' } });
    await deliver(t.bus, upstreamEvent('case.opened.v1', opened.caseId, opened));
    await worker.tick();
    const hook = peer.requests.filter((r) => r.path === '/hooks/aftersales');
    expect(hook).toHaveLength(1);
    const [h] = hook;
    const ts = String(h!.headers['x-aftersales-timestamp']);
    expect(Number(ts)).toBe(Math.floor(clock.now().getTime() / 1000));
    expect(h!.headers['x-aftersales-signature']).toBe(`sha256=${createHmac('sha256', secret).update(`${ts}.${h!.body}`).digest('hex')}`);
    const body = JSON.parse(h!.body);
    expect(body).toMatchObject({ type: 'case-acknowledgement', caseId: opened.caseId });
    expect(h!.headers['idempotency-key']).toBe(body.id);
    const rows = (await t.http('GET', `/deliveries?caseId=${opened.caseId}`, { role: 'manager' })).body.items;
    expect(rows.map((d: { channel: string; status: string }) => `${d.channel}:${d.status}`).sort()).toEqual([
      'in-app:sent',
      'webhook:sent',
    ]);
  });
});
