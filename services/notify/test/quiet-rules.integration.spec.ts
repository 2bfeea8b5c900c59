import { ManualClock } from '@aftersales/platform';
import { caseOpened, deliver, TestService, tokenFor, upstreamEvent } from '@aftersales/testing';
import { randomUUID } from 'node:crypto';
import { DeliveryWorker } from '../src/deliveries/delivery-worker';
import { NotifyWithPeers, startNotifyWithPeers, warnOwnerOf } from './support/notify';
import { HttpRecorder, SmtpListener } from './support/peers';

const local = (iso: string) => new Date(`${iso}+08:00`);

describe('notify quiet rules, rate limit, digest and the survey loop (real PostgreSQL, SMTP, HTTP)', () => {
  const clock = new ManualClock(local('2026-03-02T23:00:00')); // Monday night in Shanghai
  let n: NotifyWithPeers;
  let t: TestService;
  let sms: HttpRecorder;
  let smtp: SmtpListener;
  let worker: DeliveryWorker;

  beforeAll(async () => {
    n = await startNotifyWithPeers(clock, {
      NOTIFY_DEFAULT_LANGUAGE: 'en',
      NOTIFY_DIGEST_MINUTES: '15',
      NOTIFY_RATE_LIMIT: '3',
      NOTIFY_RATE_WINDOW_MINUTES: '60',
    });
    ({ t, sms, smtp, worker } = n);
  });
  afterAll(() => n?.stop());

  const rows = async (caseId: string) => (await t.http('GET', `/deliveries?caseId=${caseId}`, { role: 'manager' })).body.items;
  const texted = (to: string) => sms.requests.filter((r) => new URLSearchParams(r.body).get('To') === to);

  it('does not text a business-hours customer at night: the acknowledgement waits for 09:00; a P1 goes at once', async () => {
    const p3 = caseOpened({
      severity: 'P3',
      contact: { name: 'Li Wei', phone: '+8613900000001' },
      contract: { contractId: 'K-1', coverage: 'business-hours' },
    });
    await deliver(t.bus, upstreamEvent('case.opened.v1', p3.caseId, p3));
    const [held] = await rows(p3.caseId);
    expect(held).toMatchObject({ channel: 'sms', status: 'queued', dueAt: local('2026-03-03T09:00:00').toISOString() });
    await worker.tick();
    expect(texted('+8613900000001')).toHaveLength(0);

    const p1 = caseOpened({
      severity: 'P1',
      contact: { name: 'Sun Hao', phone: '+8613900000002' },
      contract: { contractId: 'K-1', coverage: 'business-hours' },
    });
    await deliver(t.bus, upstreamEvent('case.opened.v1', p1.caseId, p1));
    const around = caseOpened({
      severity: 'P3',
      contact: { name: 'Zhou', phone: '+8613900000003' },
      contract: { contractId: 'K-2', coverage: '7x24' },
    });
    await deliver(t.bus, upstreamEvent('case.opened.v1', around.caseId, around));
    await worker.tick();
    expect(texted('+8613900000002')).toHaveLength(1);
    expect(texted('+8613900000003')).toHaveLength(1); // a 7x24 customer is texted around the clock

    clock.set(local('2026-03-03T09:00:00'));
    await worker.tick();
    expect(texted('+8613900000001')).toHaveLength(1);
    expect((await rows(p3.caseId))[0]).toMatchObject({ status: 'sent' });
  });

  it('merges P3/P4 warnings to one engineer within the window into one digest e-mail; in-app stays one by one', async () => {
    clock.set(local('2026-03-03T10:00:00'));
    const put = await t.http('PUT', '/people/E-9', {
      role: 'admin',
      body: { name: 'Qian Yu', region: 'north', roles: ['engineer'], email: 'qian.yu@example.com' },
    });
    expect(put.status).toBe(200);
    const cases: string[] = [];
    for (const [i, severity] of (['P3', 'P4', 'P3'] as const).entries()) {
      const c = caseOpened({ caseNumber: `NORTH-2026-00010${i}`, severity, contact: { name: 'x' } });
      cases.push(c.caseId);
      await warnOwnerOf(
        t,
        clock,
        c,
        { id: 'E-9', name: 'Qian Yu' },
        {
          policyId: 'ladder-a',
          target: 'resolution',
          breachAt: new Date(clock.now().getTime() + 3_600_000),
        },
      );
      clock.advanceMinutes(4);
    }
    const mailsToQian = () => smtp.messages.filter((m) => m.to === 'qian.yu@example.com');
    await worker.tick();
    expect(mailsToQian()).toHaveLength(0);
    for (const id of cases) {
      const warning = (await rows(id)).filter((d: { template: string }) => d.template === 'sla-warning');
      expect(warning.map((d: { channel: string; status: string }) => `${d.channel}:${d.status}`).sort()).toEqual([
        'email:digested',
        'in-app:sent',
      ]);
    }
    clock.advanceMinutes(4); // 16 minutes after the first warning
    expect(await worker.tick()).toMatchObject({ sent: 1 });
    expect(mailsToQian()).toHaveLength(1);
    const [digest] = mailsToQian();
    expect(digest!.subject).toBe('3 low-severity notices');
    for (const n of ['NORTH-2026-000100', 'NORTH-2026-000101', 'NORTH-2026-000102']) expect(digest!.text).toContain(n);
  });

  it('beyond the per-recipient rate limit everything but a P1 goes into the digest', async () => {
    const put = await t.http('PUT', '/people/busy.m1', {
      role: 'admin',
      body: { name: 'Busy', region: 'north', roles: ['manager1'], email: 'busy@example.com' },
    });
    expect(put.status).toBe(200);
    const statusOf: string[] = [];
    for (const severity of ['P2', 'P2', 'P2', 'P2', 'P1'] as const) {
      const caseId = randomUUID();
      const at = clock.now().toISOString();
      await deliver(
        t.bus,
        upstreamEvent('escalation.rung.reached.v1', caseId, {
          clockId: randomUUID(),
          caseId,
          region: 'north',
          severity,
          policyId: 'ladder-b',
          policyVersion: 1,
          eventKey: 'rung:0',
          dueAt: at,
          firedAt: at,
          target: 'diagnosis',
          rungIndex: 0,
          afterMinutes: 60,
          label: 'Manager1',
          notifyRoles: ['manager1'],
        }),
      );
      statusOf.push((await rows(caseId)).find((d: { channel: string }) => d.channel === 'email').status);
    }
    expect(statusOf).toEqual(['queued', 'queued', 'queued', 'digested', 'queued']);
  });

  it('sends the survey link to the contact in their language, the callback to the region’s service delivery manager, an overdue deadline to its roles', async () => {
    clock.set(local('2026-03-04T10:00:00'));
    const put = await t.http('PUT', '/people/sdm.north', {
      role: 'admin',
      body: { name: 'Sun Li', region: 'north', roles: ['service-delivery-manager'], language: 'zh-CN', email: 'sun.li@example.com' },
    });
    expect(put.status).toBe(200);
    await t.http('PUT', '/people/sdm.south', {
      role: 'admin',
      body: { name: 'South', region: 'south', roles: ['service-delivery-manager'], email: 'south@example.com' },
    });
    const caseId = randomUUID();
    const surveyId = randomUUID();
    await deliver(
      t.bus,
      upstreamEvent('survey.invitation.requested.v1', caseId, {
        surveyId,
        caseId,
        caseNumber: 'NORTH-2026-000200',
        region: 'north',
        customerId: 'C-100',
        contact: { name: 'Li Wei', email: 'li.wei@example.com' },
        language: 'en',
        link: 'https://survey.example.com/a/one-time-token',
        expiresAt: '2026-03-11T10:00:00+08:00',
      }),
    );
    await deliver(
      t.bus,
      upstreamEvent('survey.callback.requested.v1', caseId, {
        callbackId: randomUUID(),
        surveyId,
        caseId,
        caseNumber: 'NORTH-2026-000200',
        region: 'north',
        customerId: 'C-100',
        lowItems: ['attitude'],
        dueAt: '2026-03-05T10:00:00+08:00',
      }),
    );
    await deliver(
      t.bus,
      upstreamEvent('escalation.deadline.overdue.v1', caseId, {
        deadlineId: randomUUID(),
        kind: 'survey-callback',
        subjectId: randomUUID(),
        caseId,
        region: 'north',
        notifyRoles: ['service-delivery-manager'],
        dueAt: '2026-03-05T10:00:00+08:00',
        firedAt: '2026-03-05T10:00:00+08:00',
      }),
    );
    await worker.tick();
    const mails = smtp.messages.filter((m) => m.headers.get('x-aftersales-case') === caseId);
    const invitation = mails.find((m) => m.to === 'li.wei@example.com')!;
    expect(invitation.subject).toBe('How did we do on case NORTH-2026-000200?');
    expect(invitation.text).toContain('https://survey.example.com/a/one-time-token');
    expect(invitation.html).toContain('href="https://survey.example.com/a/one-time-token"');
    const toSdm = mails.filter((m) => m.to === 'sun.li@example.com');
    expect(toSdm.map((m) => m.subject).sort()).toEqual([
      '已逾期：survey-callback（案例 NORTH-2026-000200）', // the deadline event has no case number: learnt from the survey's events
      expect.stringContaining('回访案例 NORTH-2026-000200'),
    ]);
    expect(mails.filter((m) => m.to === 'south@example.com')).toEqual([]);
    // the customer sees the invitation among its deliveries, never the manager's callback task
    const mine = await t.http('GET', `/deliveries?caseId=${caseId}`, { token: await tokenFor('customer', { customerId: 'C-100' }) });
    expect(mine.body.items.map((d: { template: string }) => d.template)).toEqual(['survey-invitation']);
  });
});
