import { loadServiceConfig } from '@aftersales/config';
import { notifyConfig, NotifySettings } from './notify.config';

const base = { JWT_SECRET: 'a-secret-of-sixteen-chars' };
const load = (env: Record<string, string>) =>
  loadServiceConfig<NotifySettings>('notify', { port: 3006 }, { ...base, ...env }, notifyConfig);
const problems = (env: Record<string, string>) => {
  try {
    load(env);
    return [];
  } catch (e) {
    return (e as { problems: Array<{ variable: string }> }).problems.map((p) => p.variable).sort();
  }
};

describe('notify settings (validated at start)', () => {
  it('has every channel but in-app off by default, with sane defaults', () => {
    const s = load({}).settings;
    expect(s).toMatchObject({ NOTIFY_DEFAULT_LANGUAGE: 'zh-CN', NOTIFY_TIME_ZONE: 'Asia/Shanghai', NOTIFY_BUSINESS_DAYS: [1, 2, 3, 4, 5] });
    expect(s.NOTIFY_SMTP_HOST ?? s.NOTIFY_SMS_URL ?? s.NOTIFY_WECOM_URL ?? s.NOTIFY_DINGTALK_URL).toBeUndefined();
  });

  it('names every wrong variable', () => {
    expect(
      problems({
        NOTIFY_TIME_ZONE: 'Mars/Olympus',
        NOTIFY_BUSINESS_HOURS: '18:00-09:00',
        NOTIFY_SMS_URL: 'http://127.0.0.1:9/sms',
        NOTIFY_SMS_FROM: '10086',
        NOTIFY_SMTP_STARTTLS: 'maybe',
        NOTIFY_SMTP_USER: 'u',
        NOTIFY_WECOM_URL: 'ftp://x',
      }),
    ).toEqual(['NOTIFY_BUSINESS_HOURS', 'NOTIFY_SMS_FROM', 'NOTIFY_SMTP_STARTTLS', 'NOTIFY_TIME_ZONE', 'NOTIFY_WECOM_URL']);
    // the cross-field rules run once the fields themselves parse
    expect(problems({ NOTIFY_SMS_URL: 'http://127.0.0.1:9', NOTIFY_SMTP_USER: 'u' })).toEqual([
      'NOTIFY_SMS_ACCOUNT_SID',
      'NOTIFY_SMS_AUTH_TOKEN',
      'NOTIFY_SMS_FROM',
      'NOTIFY_SMTP_PASSWORD',
    ]);
    expect(load({ NOTIFY_BUSINESS_DAYS: '1-5,7' }).settings.NOTIFY_BUSINESS_DAYS).toEqual([1, 2, 3, 4, 5, 7]);
  });
});
