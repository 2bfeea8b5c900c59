import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Outbox } from '@aftersales/messaging';
import { Clock, SERVICE_SETTINGS } from '@aftersales/platform';
import { DataSource } from 'typeorm';
import { ChannelError, OutgoingMessage } from '../channels/channel';
import { Channels } from '../channels/channels';
import { afterFailure, messageIdFor, renderTemplate } from '../domain';
import { NotifySettings } from '../notify.config';
import { TemplateStore } from '../templates/template-store';
import { DeliveryMetrics } from './delivery-metrics';
import { Claimed, DeliveryRepository } from './delivery.repository';

export interface TickResult {
  claimed: number;
  sent: number;
  failed: number;
  dead: number;
  resent: number;
}

/**
 * Sends from the delivery log. A tick claims the rows due on the injected Clock (one short
 * transaction, `FOR UPDATE SKIP LOCKED`, so any number of replicas share the log and a row is
 * claimed by one of them), hands each to its channel's adapter outside any transaction, then
 * records the outcome in a second transaction (fenced by the attempt number) with its event.
 *
 * Exactly once: a redelivered event finds its rows (unique per event, channel and recipient) and
 * adds none. The one window left is a crash between the provider's accept and our commit: the row
 * stays `sending` until its lease runs out, then any replica claims it again and sends it with the
 * same Message-ID / idempotency key, counted in `resends` and aftersales_notification_resends_total.
 *
 * `tick()` is public: tests step their ManualClock and call it (with NOTIFY_DELIVERY_POLL_MS=0 the
 * loop is off); in service the loop runs it every NOTIFY_DELIVERY_POLL_MS and whenever an event
 * queued something (`kick`).
 */
@Injectable()
export class DeliveryWorker implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('DeliveryWorker');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    @Inject(SERVICE_SETTINGS) private readonly s: NotifySettings,
    private readonly db: DataSource,
    private readonly repo: DeliveryRepository,
    private readonly channels: Channels,
    private readonly templates: TemplateStore,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly metrics: DeliveryMetrics,
  ) {}

  onModuleInit(): void {
    if (!this.s.NOTIFY_DELIVERY_POLL_MS) return;
    this.timer = setInterval(() => this.kick(), this.s.NOTIFY_DELIVERY_POLL_MS);
    this.timer.unref?.();
    this.kick();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.channels.close();
  }

  /** Runs the loop now (after an event queued deliveries); a no-op when the loop is off. */
  kick(): void {
    if (!this.s.NOTIFY_DELIVERY_POLL_MS || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((e: unknown) => this.log.error(`delivery tick failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async drain(): Promise<void> {
    while (!this.stopped && (await this.tick()).claimed >= this.s.NOTIFY_DELIVERY_BATCH);
  }

  /** Claims one batch of due rows and sends them, NOTIFY_SEND_CONCURRENCY at a time. */
  async tick(): Promise<TickResult> {
    const claimed = await this.repo.claim(this.clock.now(), this.s.NOTIFY_SEND_LEASE_MS, this.s.NOTIFY_DELIVERY_BATCH);
    const result: TickResult = { claimed: claimed.length, sent: 0, failed: 0, dead: 0, resent: 0 };
    for (const c of claimed) {
      if (c.resend) {
        result.resent++;
        this.metrics.resend(c.channel);
      }
    }
    let next = 0;
    const worker = async () => {
      for (let c = claimed[next++]; c; c = claimed[next++]) result[await this.send(c)]++;
    };
    await Promise.all(Array.from({ length: Math.min(this.s.NOTIFY_SEND_CONCURRENCY, claimed.length) }, worker));
    return result;
  }

  private async send(c: Claimed): Promise<'sent' | 'failed' | 'dead'> {
    const adapter = this.channels.adapter(c.channel);
    if (!adapter) return this.failed(c, new ChannelError(`channel ${c.channel} is not configured any more`, true));
    if (c.attempts - c.attemptsBeforeRetry > this.s.NOTIFY_MAX_ATTEMPTS) {
      return this.failed(c, new ChannelError(`gave up after ${this.s.NOTIFY_MAX_ATTEMPTS} attempts whose outcome is not known`, true));
    }
    let message: OutgoingMessage;
    try {
      message = await this.message(c);
    } catch (e) {
      return this.failed(c, new ChannelError(`could not render: ${e instanceof Error ? e.message : String(e)}`, true));
    }
    const started = performance.now();
    try {
      const answer = await adapter.send(message);
      this.metrics.sent(c.channel, (performance.now() - started) / 1000);
      await this.db.transaction(async (m) => {
        const now = this.clock.now();
        const mine = await this.repo.markSent(m, c, now, {
          answer: answer.answer,
          messageId: c.channel === 'email' ? message.messageId : (answer.providerMessageId ?? null),
          subject: message.subject,
          body: message.text,
          html: message.html,
        });
        if (!mine) return;
        await this.outbox.append(m, [
          {
            type: 'notify.delivery.sent.v1',
            ...deliveryRef(c),
            data: {
              ...deliveryRef(c).data,
              resend: c.resend,
              ...(c.channel === 'email'
                ? { messageId: message.messageId }
                : answer.providerMessageId
                  ? { messageId: answer.providerMessageId }
                  : {}),
              sentAt: now.toISOString(),
            },
          },
        ]);
      });
      this.metrics.count(c.channel, 'sent');
      return 'sent';
    } catch (e) {
      this.metrics.sent(c.channel, (performance.now() - started) / 1000);
      return this.failed(c, e);
    }
  }

  /** The message of a claimed row; a digest is rendered now from its members (the same members on a resend). */
  private async message(c: Claimed): Promise<OutgoingMessage> {
    let content = { subject: c.subject ?? '', text: c.body ?? '', html: c.html ?? '' };
    if (c.kind === 'digest') {
      const members = await this.repo.digestMembers(c.id);
      const t = (await this.templates.inUse(this.db, 'digest'))[c.language];
      content = renderTemplate(
        t,
        {
          recipientName: '',
          region: c.region,
          count: members.length,
          items: members.map((d) => ({
            subject: d.subject,
            text: d.body,
            severity: d.severity,
            caseNumber: d.caseNumber ?? d.caseId,
            at: d.createdAt.toISOString(),
          })),
        },
        { language: c.language, timeZone: this.s.NOTIFY_TIME_ZONE },
      );
    }
    return {
      notificationId: c.id,
      attempt: c.attempts,
      resend: c.resend,
      channel: c.channel,
      address: c.recipient,
      language: c.language,
      messageId: messageIdFor(c.id, this.s.NOTIFY_MESSAGE_ID_DOMAIN),
      template: c.template,
      caseId: c.caseId,
      ...content,
    };
  }

  private async failed(c: Claimed, e: unknown): Promise<'failed' | 'dead'> {
    const answer = e instanceof Error ? e.message : String(e);
    const permanent = e instanceof ChannelError && e.permanent;
    const now = this.clock.now();
    const next = afterFailure(
      { baseMs: this.s.NOTIFY_RETRY_BASE_MS, maxMs: this.s.NOTIFY_RETRY_MAX_MS, maxAttempts: this.s.NOTIFY_MAX_ATTEMPTS },
      c.attempts - c.attemptsBeforeRetry,
      now,
      { permanent, jitterSeed: c.id },
    );
    const retryAt = next.dead ? null : next.retryAt;
    const mine = await this.db.transaction(async (m) => {
      if (!(await this.repo.markFailed(m, c, now, answer, retryAt))) return false;
      await this.outbox.append(m, [
        {
          type: 'notify.delivery.failed.v1',
          ...deliveryRef(c),
          data: {
            ...deliveryRef(c).data,
            dead: next.dead,
            answer: answer.slice(0, 1000),
            retryAt: retryAt?.toISOString() ?? null,
            failedAt: now.toISOString(),
          },
        },
      ]);
      return true;
    });
    const outcome = next.dead ? 'dead' : 'failed';
    if (mine) this.metrics.count(c.channel, outcome);
    if (next.dead) this.log.warn(`delivery ${c.id} (${c.channel}) is dead: ${answer}`);
    return outcome;
  }
}

/** What every delivery event says of its row, keyed by the case id (per-case order) or else the row's id. */
function deliveryRef(c: Claimed) {
  return {
    aggregateType: c.caseId ? 'case' : 'notification',
    aggregateId: c.caseId ?? c.id,
    data: {
      notificationId: c.id,
      ...(c.caseId ? { caseId: c.caseId } : {}),
      region: c.region,
      template: c.template,
      channel: c.channel,
      attempt: c.attempts,
    },
  };
}
