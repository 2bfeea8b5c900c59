import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const ms = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const httpUrl = z
  .string()
  .url()
  .refine((v) => /^https?:\/\//.test(v), 'must start with http: or https:')
  .transform((v) => v.replace(/\/+$/, ''));
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as Asia/Shanghai');
const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
const businessHours = z
  .string()
  .regex(/^\d\d:\d\d-\d\d:\d\d$/, 'HH:MM-HH:MM')
  .refine((v) => {
    const [start = '', end = ''] = v.split('-');
    return [start, end].every((t) => hhmm.test(t) || t === '24:00') && start < end;
  }, 'start before end');
const businessDays = z
  .string()
  .regex(/^[1-7](-[1-7])?(,[1-7](-[1-7])?)*$/, 'ISO weekdays like 1-5 or 1-5,7')
  .transform((v) =>
    [
      ...new Set(
        v.split(',').flatMap((part) => {
          const [a = 0, b = a] = part.split('-').map(Number);
          return Array.from({ length: Math.max(0, b - a + 1) }, (_, i) => a + i);
        }),
      ),
    ].sort(),
  );
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number like +8613800000000');

/**
 * The notify service's own variables (validated at start with the shared ones; README
 * "Configuration"). A channel whose endpoint is unset is off; in-app is always on.
 */
export const notifyConfig = z
  .object({
    NOTIFY_DEFAULT_LANGUAGE: z.enum(['zh-CN', 'en']).default('zh-CN'),
    /** business hours for the quiet rule and the time zone rotations default to */
    NOTIFY_TIME_ZONE: timeZone.default('Asia/Shanghai'),
    NOTIFY_BUSINESS_DAYS: businessDays.default('1-5'),
    NOTIFY_BUSINESS_HOURS: businessHours.default('09:00-18:00'),

    // delivery worker
    NOTIFY_DELIVERY_POLL_MS: ms(1000),
    NOTIFY_DELIVERY_BATCH: z.coerce.number().int().min(1).max(1000).default(50),
    NOTIFY_SEND_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    NOTIFY_SEND_LEASE_MS: ms(120_000, 1000),
    NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
    NOTIFY_RETRY_BASE_MS: ms(30_000, 1),
    NOTIFY_RETRY_MAX_MS: ms(3_600_000, 1),

    // quiet rules and digest
    NOTIFY_RATE_LIMIT: z.coerce.number().int().min(0).default(20),
    NOTIFY_RATE_WINDOW_MINUTES: z.coerce.number().int().min(1).default(60),
    NOTIFY_DIGEST_MINUTES: z.coerce.number().int().min(0).default(15),

    // e-mail over SMTP
    NOTIFY_SMTP_HOST: z.string().min(1).optional(),
    NOTIFY_SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
    /** implicit TLS from the first byte (port 465) */
    NOTIFY_SMTP_SECURE: bool.default('false'),
    /** STARTTLS: `auto` when offered, `require` or fail, `off` never */
    NOTIFY_SMTP_STARTTLS: z.enum(['auto', 'require', 'off']).default('auto'),
    NOTIFY_SMTP_USER: z.string().min(1).optional(),
    NOTIFY_SMTP_PASSWORD: z.string().min(1).optional(),
    NOTIFY_SMTP_FROM: z.string().min(3).default('aftersales <noreply@aftersales.local>'),
    NOTIFY_MESSAGE_ID_DOMAIN: z
      .string()
      .regex(/^[A-Za-z0-9.-]+$/, 'a domain name')
      .default('aftersales.local'),

    // SMS through a Twilio-shaped REST API
    NOTIFY_SMS_URL: httpUrl.optional(),
    NOTIFY_SMS_ACCOUNT_SID: z.string().min(1).optional(),
    NOTIFY_SMS_AUTH_TOKEN: z.string().min(1).optional(),
    NOTIFY_SMS_FROM: e164.optional(),

    // IM group robots
    NOTIFY_WECOM_URL: httpUrl.optional(),
    NOTIFY_DINGTALK_URL: httpUrl.optional(),
    NOTIFY_DINGTALK_SECRET: z.string().min(1).optional(),

    // outbound webhooks to customer systems (per customer: PUT /webhooks/{customerId})
    NOTIFY_WEBHOOKS: bool.default('true'),
    NOTIFY_HTTP_TIMEOUT_MS: ms(10_000, 100),

    // on-call rotations from an iCalendar feed given by URL: fetched again this often (0: only when saved)
    NOTIFY_ICAL_REFRESH_MINUTES: z.coerce.number().int().min(0).max(1440).default(15),
  })
  .superRefine((e, ctx) => {
    if (e.NOTIFY_SMS_URL) {
      for (const k of ['NOTIFY_SMS_ACCOUNT_SID', 'NOTIFY_SMS_AUTH_TOKEN', 'NOTIFY_SMS_FROM'] as const) {
        if (!e[k]) ctx.addIssue({ code: 'custom', path: [k], message: 'required when NOTIFY_SMS_URL is set' });
      }
    }
    if (!!e.NOTIFY_SMTP_USER !== !!e.NOTIFY_SMTP_PASSWORD) {
      ctx.addIssue({ code: 'custom', path: ['NOTIFY_SMTP_PASSWORD'], message: 'NOTIFY_SMTP_USER and NOTIFY_SMTP_PASSWORD go together' });
    }
    if (e.NOTIFY_RETRY_MAX_MS < e.NOTIFY_RETRY_BASE_MS) {
      ctx.addIssue({ code: 'custom', path: ['NOTIFY_RETRY_MAX_MS'], message: 'must not be below NOTIFY_RETRY_BASE_MS' });
    }
  });

export type NotifySettings = z.infer<typeof notifyConfig>;
