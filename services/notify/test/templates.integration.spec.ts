import { ManualClock } from '@aftersales/platform';
import { deliver, TestService } from '@aftersales/testing';
import { randomUUID } from 'node:crypto';
import { NotifyWithPeers, rungReached, startNotifyWithPeers } from './support/notify';
import { SmtpListener } from './support/peers';

describe('notify templates: versioned through the API, previewed in both languages, checked at save (real PostgreSQL)', () => {
  const clock = new ManualClock('2026-03-02T10:00:00+08:00');
  let n: NotifyWithPeers;
  let t: TestService;
  let smtp: SmtpListener;

  beforeAll(async () => {
    n = await startNotifyWithPeers(clock);
    ({ t, smtp } = n);
  });
  afterAll(() => n?.stop());

  it('previews the built-in rung template in zh-CN and en with sample data', async () => {
    const zh = await t.http('POST', '/templates/escalation-rung/preview', { body: { language: 'zh-CN' } });
    expect(zh.status).toBe(200);
    expect(zh.body.subject).toBe('[P1] 升级通知：10min: Manager1 / senior engineer (Manager1/高级工程师) - 案例 NORTH-2026-000042');
    expect(zh.body.text).toContain('案例 NORTH-2026-000042 已超过 10 分钟');
    expect(zh.body.text).toContain('2026-03-02 11:00 GMT+8'); // the sample's 03:00 UTC in Asia/Shanghai
    const en = await t.http('POST', '/templates/escalation-rung/preview', { body: { language: 'en' } });
    expect(en.body.subject).toBe('[P1] escalation: 10min: Manager1 / senior engineer (Manager1/高级工程师) - case NORTH-2026-000042');
    expect(en.body.text).toContain('is still not past its diagnosis target after 10 minutes');
    // the e-mail's HTML part escapes what a customer typed; the text part keeps it
    const ack = await t.http('POST', '/templates/case-acknowledgement/preview', { body: { language: 'en' } });
    expect(ack.body.html).toContain('storage array offline &lt;E42&gt;');
    expect(ack.body.text).toContain('storage array offline <E42>');
  });

  it('rejects a broken template at save with its line and column, and stores nothing', async () => {
    const broken = await t.http('POST', '/templates', {
      role: 'admin',
      body: {
        id: 'escalation-rung',
        language: 'en',
        subject: 'Rung {{label}}',
        text: 'Case {{caseNumber}}\nwas due {{#if dueAt}}{{time dueAt}}\n',
      },
    });
    expect(broken.status).toBe(422);
    expect(broken.body.errors).toEqual([expect.objectContaining({ field: 'text', line: 3, reason: expect.stringContaining('line 3') })]);

    const unknown = await t.http('PUT', '/templates/sla-warning/zh-CN', {
      role: 'admin',
      body: { subject: '预警 {{caseNumber}}', text: '案例 {{caseNumber}}\n负责人 {{ownerEmail}}' },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([
      { field: 'text', line: 2, column: 7, reason: expect.stringContaining('unknown variable "ownerEmail"') },
    ]);

    const helper = await t.http('POST', '/templates/escalation-rung/preview', { body: { language: 'en', html: '<p>{{shout label}}</p>' } });
    expect(helper.status).toBe(422);
    expect(helper.body.errors[0]).toMatchObject({ field: 'html', line: 1, column: 6 });

    const detail = await t.http('GET', '/templates/escalation-rung');
    expect(detail.body.versions).toEqual([]);
    expect(detail.body.inUse.map((x: { version: number }) => x.version)).toEqual([0, 0]);
  });

  it('saves versions, uses the newest per language, and renders it for each recipient in their language', async () => {
    // the same request twice under one idempotency key: one version
    const saveV1 = () =>
      t.http('POST', '/templates', {
        role: 'admin',
        headers: { 'Idempotency-Key': 'rung-en-1' },
        body: {
          id: 'escalation-rung',
          language: 'en',
          subject: 'RUNG {{severity}} {{caseNumber}}',
          text: 'v1 {{label}}',
          html: '<b>v1 {{label}}</b>',
        },
      });
    const v1 = await saveV1();
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ id: 'escalation-rung', language: 'en', version: 1, createdBy: 'test-admin' });
    const replay = await saveV1();
    expect(replay.body.version).toBe(1);
    const v2 = await t.http('PUT', '/templates/escalation-rung/en', {
      role: 'admin',
      body: { subject: 'RUNG v2 {{severity}} {{caseNumber}}', text: 'v2 {{label}} for {{recipientName}}' },
    });
    expect(v2.body.version).toBe(2);
    const same = await t.http('PUT', '/templates/escalation-rung/en', {
      role: 'admin',
      body: { subject: 'RUNG v2 {{severity}} {{caseNumber}}', text: 'v2 {{label}} for {{recipientName}}' },
    });
    expect(same.body.version).toBe(2); // unchanged: no new version
    expect(
      (await t.http('GET', '/templates/escalation-rung?language=en')).body.versions.map((v: { version: number }) => v.version),
    ).toEqual([2, 1]);

    for (const [id, language, email] of [
      ['li.en', 'en', 'li.en@example.com'],
      ['li.zh', 'zh-CN', 'li.zh@example.com'],
    ]) {
      const put = await t.http('PUT', `/people/${id}`, {
        role: 'admin',
        body: { name: id, region: 'north', roles: ['manager2'], language, email },
      });
      expect(put.status).toBe(200);
    }
    const caseId = randomUUID();
    await deliver(t.bus, rungReached(caseId, clock.now()));
    await n.worker.tick();
    const mails = smtp.messages.filter((m) => m.headers.get('x-aftersales-case') === caseId);
    const en = mails.find((m) => m.to === 'li.en@example.com')!;
    const zh = mails.find((m) => m.to === 'li.zh@example.com')!;
    expect(en.subject).toBe(`RUNG v2 P1 ${caseId}`);
    expect(en.text.trim()).toBe('v2 1h: Manager2 for li.en');
    expect(zh.subject).toContain('升级通知'); // zh-CN still the built-in one
  });
});
