import { createHmac } from 'node:crypto';
import { Clock } from '@aftersales/platform';
import { NotifySettings } from '../notify.config';
import { ChannelAdapter, ChannelError, httpFailure, OutgoingMessage, post, ProviderAnswer } from './channel';

interface RobotAnswer {
  errcode?: number;
  errmsg?: string;
}

/** Robot error codes that are worth a retry: rate limits and "system busy". */
const TRANSIENT_ROBOT_ERRORS = new Set([-1, 45009, 130101, 130102]);

async function robotPost(provider: string, url: string, payload: unknown, timeoutMs: number): Promise<ProviderAnswer> {
  const res = await post(provider, url, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), timeoutMs });
  if (res.status < 200 || res.status >= 300) throw httpFailure(provider, res.status, res.body);
  let a: RobotAnswer = {};
  try {
    a = JSON.parse(res.body) as RobotAnswer;
  } catch {
    throw new ChannelError(`${provider} answered ${res.status} without JSON: ${res.body.slice(0, 200)}`, false);
  }
  if (a.errcode !== 0)
    throw new ChannelError(`${provider} errcode ${a.errcode}: ${a.errmsg}`, !TRANSIENT_ROBOT_ERRORS.has(a.errcode ?? -1));
  return { answer: `${res.status} errcode 0 ${a.errmsg ?? ''}`.trim() };
}

const markdown = (m: OutgoingMessage) => `**${m.subject}**\n\n${m.text}`;

/**
 * WeCom (企业微信) group robot: `POST {NOTIFY_WECOM_URL}/cgi-bin/webhook/send?key=<robot key>` with
 * `{"msgtype":"markdown","markdown":{"content":…}}`; the address is the robot's key.
 */
export class WeComChannel implements ChannelAdapter {
  readonly channel = 'wecom' as const;
  constructor(private readonly s: NotifySettings) {}

  send(m: OutgoingMessage): Promise<ProviderAnswer> {
    const url = `${this.s.NOTIFY_WECOM_URL}/cgi-bin/webhook/send?key=${encodeURIComponent(m.address)}`;
    return robotPost('WeCom', url, { msgtype: 'markdown', markdown: { content: markdown(m) } }, this.s.NOTIFY_HTTP_TIMEOUT_MS);
  }
}

/** DingTalk's signature: base64 of HMAC-SHA256 over "timestamp\nsecret" keyed by the secret, URL-encoded. */
export function dingTalkSign(timestampMs: number, secret: string): string {
  return encodeURIComponent(createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64'));
}

/**
 * DingTalk (钉钉) group robot: `POST {NOTIFY_DINGTALK_URL}/robot/send?access_token=<token>` with
 * `{"msgtype":"markdown","markdown":{"title":…,"text":…}}`; with NOTIFY_DINGTALK_SECRET the URL is
 * signed (`&timestamp=<ms>&sign=<…>`, the robot's 加签 security setting).
 */
export class DingTalkChannel implements ChannelAdapter {
  readonly channel = 'dingtalk' as const;
  constructor(
    private readonly s: NotifySettings,
    private readonly clock: Clock,
  ) {}

  send(m: OutgoingMessage): Promise<ProviderAnswer> {
    let url = `${this.s.NOTIFY_DINGTALK_URL}/robot/send?access_token=${encodeURIComponent(m.address)}`;
    if (this.s.NOTIFY_DINGTALK_SECRET) {
      const ts = this.clock.now().getTime();
      url += `&timestamp=${ts}&sign=${dingTalkSign(ts, this.s.NOTIFY_DINGTALK_SECRET)}`;
    }
    return robotPost(
      'DingTalk',
      url,
      { msgtype: 'markdown', markdown: { title: m.subject, text: `### ${m.subject}\n\n${m.text}` } },
      this.s.NOTIFY_HTTP_TIMEOUT_MS,
    );
  }
}
