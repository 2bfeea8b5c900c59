import { createHmac } from 'node:crypto';
import { Clock } from '@aftersales/platform';
import { NotifySettings } from '../notify.config';
import { ChannelAdapter, ChannelError, httpFailure, OutgoingMessage, post, ProviderAnswer } from './channel';

export interface WebhookSubscription {
  url: string;
  secret: string;
}

/** `sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<body>` keyed by the customer's secret. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Outbound webhooks to a customer's own system (`PUT /webhooks/{customerId}`): a JSON POST with
 * `X-Aftersales-Timestamp` (Unix seconds) and `X-Aftersales-Signature` (see `webhookSignature`);
 * the receiver recomputes it and refuses stale timestamps. `Idempotency-Key` is the log row's id,
 * the same on a resend. The address of a webhook delivery is the customer id.
 */
export class WebhookChannel implements ChannelAdapter {
  readonly channel = 'webhook' as const;

  constructor(
    private readonly s: NotifySettings,
    private readonly clock: Clock,
    private readonly subscription: (customerId: string) => Promise<WebhookSubscription | undefined>,
  ) {}

  async send(m: OutgoingMessage): Promise<ProviderAnswer> {
    const sub = await this.subscription(m.address);
    if (!sub) throw new ChannelError(`customer ${m.address} has no webhook any more`, true);
    const timestamp = String(Math.floor(this.clock.now().getTime() / 1000));
    const body = JSON.stringify({
      id: m.notificationId,
      type: m.template,
      caseId: m.caseId,
      language: m.language,
      subject: m.subject,
      text: m.text,
      attempt: m.attempt,
    });
    const res = await post('webhook', sub.url, {
      headers: {
        'content-type': 'application/json',
        'Idempotency-Key': m.notificationId,
        'X-Aftersales-Timestamp': timestamp,
        'X-Aftersales-Signature': webhookSignature(sub.secret, timestamp, body),
      },
      body,
      timeoutMs: this.s.NOTIFY_HTTP_TIMEOUT_MS,
    });
    if (res.status < 200 || res.status >= 300) throw httpFailure('webhook', res.status, res.body);
    return { answer: `${res.status} ${res.body.slice(0, 200)}`.trim() };
  }
}
