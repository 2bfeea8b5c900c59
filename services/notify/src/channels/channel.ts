import { Channel, Language } from '../domain';

/**
 * # Adding a channel
 *
 * A channel is an adapter that hands one rendered message to one provider and says what the
 * provider answered. The delivery worker (deliveries/delivery-worker.ts) does everything else:
 * it claims the log row, calls `send`, and records the outcome (sent, or failed and retried with
 * backoff, or dead), so an adapter holds no state about deliveries.
 *
 * 1. Add the channel's name to `Channel` in domain/addresses.ts (with its address check).
 * 2. Add its settings to notify.config.ts (`NOTIFY_<CHANNEL>_*`; unset endpoint = channel off)
 *    and to README's configuration table, the Helm values and docker-compose.yml.
 * 3. Implement `ChannelAdapter` here, next to the others, and build it in channels.ts when its
 *    settings are present.
 * 4. Make `send` idempotent where the provider allows: pass `message.notificationId` as the
 *    provider's idempotency key (Twilio's `I-Twilio-Idempotency-Token`, our webhooks'
 *    `Idempotency-Key`, e-mail's Message-ID). A send may be repeated after a crash between the
 *    provider's accept and our commit (`message.resend` is then true); it must carry the same key.
 * 5. Throw `ChannelError` with `permanent: true` when retrying can never help (a 4xx for a bad
 *    number, an unknown robot key); anything else thrown is retried.
 *
 * In-app has no adapter: its log row is the inbox entry, written in the event's own transaction.
 */
export interface OutgoingMessage {
  /** the delivery log row: also the idempotency key and the base of the e-mail Message-ID */
  notificationId: string;
  attempt: number;
  /** an earlier attempt's outcome is unknown (crash or lease expiry): the provider may have it already */
  resend: boolean;
  channel: Channel;
  /** e-mail address, E.164 number, robot key, customer id (webhooks) */
  address: string;
  subject: string;
  text: string;
  html: string;
  language: Language;
  /** RFC 5322 Message-ID, `<notification id@NOTIFY_MESSAGE_ID_DOMAIN>` */
  messageId: string;
  template: string;
  caseId: string | null;
}

export interface ProviderAnswer {
  /** what the provider said, kept in the log (SMTP reply line, HTTP status and body) */
  answer: string;
  /** the provider's id for the message, when it gives one */
  providerMessageId?: string;
}

export class ChannelError extends Error {
  constructor(
    message: string,
    /** retrying cannot help: the delivery is dead at once */
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}

export interface ChannelAdapter {
  readonly channel: Channel;
  send(message: OutgoingMessage): Promise<ProviderAnswer>;
  /** closes pooled connections on shutdown */
  close?(): Promise<void>;
}

/** An HTTP answer as a ChannelError: 4xx (but 408 and 429) is permanent, the rest is retried. */
export function httpFailure(provider: string, status: number, body: string): ChannelError {
  return new ChannelError(
    `${provider} answered ${status}: ${body.slice(0, 500)}`,
    status >= 400 && status < 500 && status !== 408 && status !== 429,
  );
}

/** fetch with a timeout; network errors and timeouts become retryable ChannelErrors */
export async function post(
  provider: string,
  url: string,
  init: { headers: Record<string, string>; body: string; timeoutMs: number },
): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(url, { method: 'POST', headers: init.headers, body: init.body, signal: AbortSignal.timeout(init.timeoutMs) });
    return { status: res.status, body: await res.text() };
  } catch (e) {
    throw new ChannelError(`${provider} unreachable: ${e instanceof Error ? e.message : String(e)}`, false);
  }
}
