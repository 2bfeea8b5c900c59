import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  messageId: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  headers: Map<string, unknown>;
  /** when the listener had the whole message (before answering 250) */
  receivedAt: number;
}

export interface SmtpListener {
  port: number;
  messages: ReceivedMail[];
  /** called with each message before the listener answers; throw to refuse it (a 4xx/5xx to the sender) */
  onMessage?: (m: ReceivedMail) => Promise<void> | void;
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 (no TLS, no auth) that parses and keeps every message it accepts. */
export async function startSmtpListener(): Promise<SmtpListener> {
  const listener: SmtpListener = { port: 0, messages: [], close: () => Promise.resolve() };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      simpleParser(stream)
        .then(async (mail) => {
          const m: ReceivedMail = {
            messageId: mail.messageId ?? '',
            to: session.envelope.rcptTo.map((r) => r.address).join(','),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            headers: mail.headers,
            receivedAt: performance.now(),
          };
          listener.messages.push(m);
          await listener.onMessage?.(m);
          callback();
        })
        .catch((e: Error & { responseCode?: number }) => callback(e));
    },
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  listener.port = (server.server.address() as AddressInfo).port;
  listener.close = () => new Promise<void>((ok) => server.close(() => ok()));
  return listener;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface HttpRecorder {
  url: string;
  requests: RecordedRequest[];
  /** the answer to the next requests (default 201 with a Twilio-like JSON body) */
  answer: (r: RecordedRequest) => { status: number; body: string };
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 standing in for a provider (Twilio, a robot, a customer's system). */
export async function startHttpRecorder(): Promise<HttpRecorder> {
  let n = 0;
  const rec: HttpRecorder = {
    url: '',
    requests: [],
    answer: () => ({ status: 201, body: JSON.stringify({ sid: `SM${String(++n).padStart(32, '0')}`, status: 'queued' }) }),
    close: () => Promise.resolve(),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      rec.requests.push(r);
      const a = rec.answer(r);
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  rec.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  rec.close = () =>
    new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    });
  return rec;
}

/** The environment that points notify's SMTP and SMS adapters at the local peers. */
export function channelEnv(smtp: SmtpListener, sms: HttpRecorder): Record<string, string> {
  return {
    NOTIFY_SMTP_HOST: '127.0.0.1',
    NOTIFY_SMTP_PORT: String(smtp.port),
    NOTIFY_SMTP_STARTTLS: 'off',
    NOTIFY_SMTP_FROM: 'aftersales <noreply@aftersales.test>',
    NOTIFY_MESSAGE_ID_DOMAIN: 'aftersales.test',
    NOTIFY_SMS_URL: sms.url,
    NOTIFY_SMS_ACCOUNT_SID: 'AC0123456789abcdef',
    NOTIFY_SMS_AUTH_TOKEN: 'test-auth-token',
    NOTIFY_SMS_FROM: '+8610000000000',
  };
}

/** Sum of a metric's series (optionally only those whose labels contain `labels`) in a /metrics text. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .filter((l) => Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)))
    .reduce((s, l) => s + Number(l.split(' ').pop()), 0);
}
