import nodemailer, { Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { NotifySettings } from '../notify.config';
import { ChannelAdapter, ChannelError, OutgoingMessage, ProviderAnswer } from './channel';

/**
 * E-mail over SMTP (nodemailer, pooled): an HTML and a text part, the Message-ID derived from the
 * log row so that a resend is recognisable, STARTTLS when offered (or required, or never) and
 * AUTH when a user is set. A 5xx reply is permanent; 4xx and connection trouble are retried.
 */
export class EmailChannel implements ChannelAdapter {
  readonly channel = 'email' as const;
  private readonly transport: Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>;

  constructor(private readonly s: NotifySettings) {
    this.transport = nodemailer.createTransport({
      host: s.NOTIFY_SMTP_HOST,
      port: s.NOTIFY_SMTP_PORT,
      secure: s.NOTIFY_SMTP_SECURE,
      requireTLS: s.NOTIFY_SMTP_STARTTLS === 'require',
      ignoreTLS: s.NOTIFY_SMTP_STARTTLS === 'off',
      auth: s.NOTIFY_SMTP_USER ? { user: s.NOTIFY_SMTP_USER, pass: s.NOTIFY_SMTP_PASSWORD } : undefined,
      pool: true,
      maxConnections: s.NOTIFY_SEND_CONCURRENCY,
      connectionTimeout: s.NOTIFY_HTTP_TIMEOUT_MS,
      greetingTimeout: s.NOTIFY_HTTP_TIMEOUT_MS,
      socketTimeout: Math.max(s.NOTIFY_HTTP_TIMEOUT_MS, 30_000),
    });
  }

  async send(m: OutgoingMessage): Promise<ProviderAnswer> {
    try {
      const info = await this.transport.sendMail({
        from: this.s.NOTIFY_SMTP_FROM,
        to: m.address,
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: m.messageId,
        headers: {
          'X-Aftersales-Notification': m.notificationId,
          'X-Aftersales-Template': m.template,
          ...(m.caseId ? { 'X-Aftersales-Case': m.caseId } : {}),
          ...(m.resend ? { 'X-Aftersales-Resend': String(m.attempt) } : {}),
        },
      });
      if (info.rejected.length) throw new ChannelError(`rejected ${info.rejected.join(', ')}: ${info.response}`, true);
      return { answer: info.response, providerMessageId: info.messageId };
    } catch (e) {
      if (e instanceof ChannelError) throw e;
      const code = (e as { responseCode?: number }).responseCode;
      throw new ChannelError(e instanceof Error ? e.message : String(e), typeof code === 'number' && code >= 500);
    }
  }

  close(): Promise<void> {
    this.transport.close();
    return Promise.resolve();
  }
}
