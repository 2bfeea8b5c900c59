import { NotifySettings } from '../notify.config';
import { ChannelAdapter, httpFailure, OutgoingMessage, post, ProviderAnswer } from './channel';

/** SMS is short: the subject and text, cut at a concatenated message's usual size. */
const MAX_SMS = 670;

/**
 * SMS through a provider in Twilio's REST shape: `POST {NOTIFY_SMS_URL}/2010-04-01/Accounts/{sid}/Messages.json`
 * with To, From and Body form-encoded, HTTP basic auth (account SID, auth token), and the log
 * row's id as `I-Twilio-Idempotency-Token` so a resend after a crash is not texted twice by a
 * provider that honours it. Another provider gets its own adapter beside this one (see channel.ts).
 */
export class TwilioSmsChannel implements ChannelAdapter {
  readonly channel = 'sms' as const;

  constructor(private readonly s: NotifySettings) {}

  async send(m: OutgoingMessage): Promise<ProviderAnswer> {
    const sid = this.s.NOTIFY_SMS_ACCOUNT_SID!;
    const body = new URLSearchParams({ To: m.address, From: this.s.NOTIFY_SMS_FROM!, Body: `${m.subject}\n${m.text}`.slice(0, MAX_SMS) });
    const res = await post('SMS provider', `${this.s.NOTIFY_SMS_URL}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${sid}:${this.s.NOTIFY_SMS_AUTH_TOKEN}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        'I-Twilio-Idempotency-Token': m.notificationId,
      },
      body: body.toString(),
      timeoutMs: this.s.NOTIFY_HTTP_TIMEOUT_MS,
    });
    if (res.status < 200 || res.status >= 300) throw httpFailure('SMS provider', res.status, res.body);
    let providerMessageId: string | undefined;
    try {
      providerMessageId = (JSON.parse(res.body) as { sid?: string }).sid;
    } catch {
      /* an answer without JSON is still an accept */
    }
    return { answer: `${res.status} ${res.body.slice(0, 500)}`, providerMessageId };
  }
}
