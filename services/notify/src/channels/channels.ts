import { Inject, Injectable } from '@nestjs/common';
import { Clock, SERVICE_SETTINGS } from '@aftersales/platform';
import { Channel } from '../domain';
import { NotifySettings } from '../notify.config';
import { ChannelAdapter } from './channel';
import { EmailChannel } from './email.channel';
import { DingTalkChannel, WeComChannel } from './im.channel';
import { TwilioSmsChannel } from './sms.channel';
import { WebhookChannel } from './webhook.channel';
import { WebhookRepository } from './webhook.repository';

/** The channels this deployment has: each adapter is built when its settings are there; in-app is always on. */
@Injectable()
export class Channels {
  private readonly adapters = new Map<Channel, ChannelAdapter>();

  constructor(@Inject(SERVICE_SETTINGS) s: NotifySettings, clock: Clock, webhooks: WebhookRepository) {
    const add = (a: ChannelAdapter) => this.adapters.set(a.channel, a);
    if (s.NOTIFY_SMTP_HOST) add(new EmailChannel(s));
    if (s.NOTIFY_SMS_URL) add(new TwilioSmsChannel(s));
    if (s.NOTIFY_WECOM_URL) add(new WeComChannel(s));
    if (s.NOTIFY_DINGTALK_URL) add(new DingTalkChannel(s, clock));
    if (s.NOTIFY_WEBHOOKS) add(new WebhookChannel(s, clock, (customerId) => webhooks.get(customerId)));
  }

  isOn(channel: Channel): boolean {
    return channel === 'in-app' || this.adapters.has(channel);
  }

  adapter(channel: Channel): ChannelAdapter | undefined {
    return this.adapters.get(channel);
  }

  /** for the start-up log line */
  enabled(): Channel[] {
    return ['in-app', ...this.adapters.keys()];
  }

  /** Closes pooled connections; the delivery worker calls it once its last send is recorded (Nest runs destroy hooks concurrently). */
  async close(): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const a of this.adapters.values()) if (a.close) closing.push(a.close());
    await Promise.all(closing);
  }
}
