import { Inject, Injectable, LoggerService, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SERVICE_LOGGER, SERVICE_SETTINGS } from '@aftersales/platform';
import { AddressObject, simpleParser } from 'mailparser';
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import {
  SMTPServer,
  SMTPServerAuthentication,
  SMTPServerAuthenticationResponse,
  SMTPServerDataStream,
  SMTPServerSession,
} from 'smtp-server';
import { IntakeSettings } from '../../intake.config';
import { EmailIntakeService, IncomingMail } from './email-intake.service';
import { IntakeMetrics } from '../../requests/intake-metrics';

/** An SMTP reply code carried by an error, as smtp-server expects it. */
function smtpError(responseCode: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * The SMTP listener for the support address, started when `INTAKE_SMTP_PORT` is set
 * (`0` = a random port, see `port`). It accepts mail only for `INTAKE_SUPPORT_EMAIL` (else 550),
 * up to `INTAKE_SMTP_MAX_BYTES` (default 10 MB, else 552), and answers 250 only once the mail is
 * stored; a storage failure is a 451 so that the sending server retries.
 *
 * STARTTLS is offered when `INTAKE_SMTP_TLS_CERT_FILE`/`_KEY_FILE` are set (and required before
 * MAIL FROM with `INTAKE_SMTP_REQUIRE_TLS`); with `INTAKE_SMTP_USERS`, only a sender that passed
 * AUTH PLAIN or LOGIN (after STARTTLS) may send. Without them it is meant to sit behind the
 * organisation's mail gateway on the internal network.
 */
@Injectable()
export class SmtpListener implements OnModuleInit, OnModuleDestroy {
  private server: SMTPServer | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  readonly supportAddress: string;
  private readonly maxBytes: number;

  constructor(
    @Inject(SERVICE_SETTINGS) private readonly settings: IntakeSettings,
    @Inject(SERVICE_LOGGER) private readonly logger: LoggerService,
    private readonly intake: EmailIntakeService,
    private readonly metrics: IntakeMetrics,
  ) {
    this.supportAddress = settings.INTAKE_SUPPORT_EMAIL;
    this.maxBytes = settings.INTAKE_SMTP_MAX_BYTES;
  }

  /** The bound port, once listening (tests start with `INTAKE_SMTP_PORT=0`). */
  get port(): number | undefined {
    const address = this.server?.server.address() as AddressInfo | null | undefined;
    return address?.port;
  }

  async onModuleInit(): Promise<void> {
    const port = this.settings.INTAKE_SMTP_PORT;
    if (port === undefined) return;
    const resumed = await this.intake.resumePending();
    if (resumed) this.logger.log(`filed ${resumed} mail(s) left half-way by an earlier run`, 'smtp');

    const tls = this.tlsFiles();
    const users = this.settings.INTAKE_SMTP_USERS;
    const server = new SMTPServer({
      name: 'aftersales-intake',
      banner: 'aftersales intake',
      // enforced in onMailFrom instead, so that each refusal is counted
      authOptional: true,
      authMethods: ['PLAIN', 'LOGIN'],
      allowInsecureAuth: false,
      ...tls,
      disabledCommands: [...(tls ? [] : ['STARTTLS']), ...(users ? [] : ['AUTH'])],
      onAuth: (auth, _session, cb) => cb(...this.authenticate(auth)),
      onMailFrom: (_address, session, cb) => {
        if (this.settings.INTAKE_SMTP_REQUIRE_TLS && !session.secure) {
          this.metrics.mailRejected('tls');
          return cb(smtpError(530, '5.7.0 must issue a STARTTLS command first'));
        }
        if (users && !session.user) {
          this.metrics.mailRejected('auth');
          return cb(smtpError(530, '5.7.0 authentication required'));
        }
        cb();
      },
      size: this.maxBytes,
      rejectOversized: true,
      logger: false,
      closeTimeout: 5_000,
      onRcptTo: (address, _session, cb) => {
        if (address.address.trim().toLowerCase() === this.supportAddress) return cb();
        this.metrics.mailRejected('recipient');
        cb(smtpError(550, `5.1.1 <${address.address}>: no such mailbox here, write to ${this.supportAddress}`));
      },
      onData: (stream, session, cb) => this.onData(stream, session, cb),
    });
    server.on('error', (e) => {
      this.logger.error(`smtp: ${e.message}`, undefined, 'smtp');
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, this.settings.INTAKE_SMTP_HOST, () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log(`listening for ${this.supportAddress} on SMTP port ${this.port}`, 'smtp');
  }

  /** The certificate and key for STARTTLS, read once at start; an unreadable file names its variable. */
  private tlsFiles(): { key: Buffer; cert: Buffer } | undefined {
    const { INTAKE_SMTP_TLS_CERT_FILE: certFile, INTAKE_SMTP_TLS_KEY_FILE: keyFile } = this.settings;
    if (!certFile || !keyFile) return undefined;
    const read = (variable: string, file: string) => {
      try {
        return readFileSync(file);
      } catch (e) {
        throw new Error(`${variable}: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
    return { cert: read('INTAKE_SMTP_TLS_CERT_FILE', certFile), key: read('INTAKE_SMTP_TLS_KEY_FILE', keyFile) };
  }

  /** AUTH PLAIN or LOGIN against INTAKE_SMTP_USERS; the passwords are compared in constant time. */
  private authenticate(auth: SMTPServerAuthentication): [Error | null | undefined, SMTPServerAuthenticationResponse?] {
    const expected = this.settings.INTAKE_SMTP_USERS?.get(auth.username ?? '');
    const digest = (v: string) => createHash('sha256').update(v).digest();
    if (expected !== undefined && timingSafeEqual(digest(expected), digest(auth.password ?? ''))) {
      return [null, { user: auth.username }];
    }
    this.metrics.mailRejected('auth');
    return [smtpError(535, '5.7.8 authentication credentials invalid')];
  }

  /** Stops accepting, then lets the mails being stored finish (the module closes before the database). */
  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.allSettled([...this.inFlight]);
  }

  private onData(stream: SMTPServerDataStream, session: SMTPServerSession, cb: (err?: Error | null, message?: string) => void): void {
    const chunks: Buffer[] = [];
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= this.maxBytes) chunks.push(chunk); // past the limit: drain, do not buffer
    });
    stream.on('error', (e) => cb(smtpError(451, `4.3.0 ${e.message}`)));
    stream.on('end', () => {
      if (stream.sizeExceeded) {
        this.metrics.mailRejected('size');
        return cb(smtpError(552, `5.3.4 message exceeds the limit of ${this.maxBytes} bytes`));
      }
      const work = this.store(Buffer.concat(chunks), session).then(
        (outcome) => {
          this.metrics.mailReceived(outcome.duplicate ? 'duplicate' : outcome.status);
          cb(null, `2.0.0 ${outcome.duplicate ? 'already received' : 'received'} as ${outcome.emailId}`);
        },
        (e: unknown) => {
          this.metrics.mailRejected('storage');
          this.logger.error(`smtp: could not store a mail: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`, undefined, 'smtp');
          cb(smtpError(451, '4.3.0 could not store the message, try again later'));
        },
      );
      this.inFlight.add(work);
      void work.finally(() => this.inFlight.delete(work));
    });
  }

  private async store(raw: Buffer, session: SMTPServerSession) {
    const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
    const sender = firstAddress(parsed.from) ?? envelopeSender(session);
    const mail: IncomingMail = {
      // without a Message-ID a resend of the same bytes is still recognised
      messageId: parsed.messageId || `<${createHash('sha256').update(raw).digest('hex')}@aftersales.intake>`,
      from: sender,
      subject: (parsed.subject ?? '').trim(),
      text: (parsed.text ?? '').trim(),
      attachments: parsed.attachments
        .filter((a) => a.contentDisposition !== 'inline' || a.filename)
        .map((a, i) => ({
          filename: a.filename || `attachment-${i + 1}`,
          contentType: a.contentType || 'application/octet-stream',
          content: a.content,
        })),
    };
    return this.intake.receive(mail);
  }
}

function firstAddress(from: AddressObject | AddressObject[] | undefined): { address: string; name?: string } | undefined {
  const list = Array.isArray(from) ? from : from ? [from] : [];
  for (const group of list) {
    const first = group.value.find((v) => v.address);
    if (first?.address) return { address: first.address, name: first.name || undefined };
  }
  return undefined;
}

function envelopeSender(session: SMTPServerSession): { address: string } {
  const env = session.envelope.mailFrom;
  return { address: env ? env.address : '' };
}
