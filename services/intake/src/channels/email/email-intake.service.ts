import { HttpException, Inject, Injectable, LoggerService, NotFoundException } from '@nestjs/common';
import { Clock, Page, Principal, SERVICE_CONFIG, SERVICE_LOGGER, visibleTo } from '@aftersales/platform';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { RegistryLookup } from '../../registry/registry-lookup';
import { CreateRequestDto } from '../../requests/create-request.dto';
import { RequestsService } from '../../requests/requests.service';
import { AttachmentRecord, attachmentRef } from '../attachments/attachment.entity';
import { conflict, systemPrincipal, unprocessable } from '../channel-errors';
import { caseNumberInSubject } from '../../domain/case-number';
import { FileEmailDto } from './email.dto';
import { InboundEmail, InboundEmailStatus } from './inbound-email.entity';
import { ServiceConfig } from '@aftersales/config';
import { Outbox } from '@aftersales/messaging';

/** A mail as the SMTP listener hands it over (parsed, size-checked). */
export interface IncomingMail {
  messageId: string;
  from: { address: string; name?: string };
  subject: string;
  text: string;
  attachments: Array<{ filename: string; contentType: string; content: Buffer }>;
}

export interface MailOutcome {
  emailId: string;
  status: InboundEmailStatus;
  /** the Message-ID was seen before: nothing new was written */
  duplicate: boolean;
  requestId: string | null;
}

/** What the envelope says before anything is stored. */
interface SortedMail {
  messageId: string;
  from: string;
  caseNumber: string | null;
  contact: { id: string; customerId: string } | null;
  status: InboundEmailStatus;
}

export const EMAIL_PRINCIPAL = 'system:intake-email';
const SYMPTOM_MAX = 4000;

/**
 * Mail to the support address: stored once per Message-ID with its attachments, then
 * - a reply (case number in the subject) is handed to the case service as `intake.email.reply-received.v1`;
 * - mail from a registered contact becomes a request (channel 'email');
 * - mail from anyone else waits as 'unmatched' until an agent files it for a customer.
 *
 * Storing and filing are two transactions (RequestsService owns its own), so filing is made
 * crash-safe instead: the mail row is stored as 'received', the request is created under an
 * Idempotency-Key derived from the Message-ID while the row is locked, and the row becomes
 * 'filed'. A crash in between leaves 'received', which a resend or the start-up sweep finishes
 * with the same key — never a second request, never a lost one.
 */
@Injectable()
export class EmailIntakeService {
  constructor(
    private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    @Inject(SERVICE_LOGGER) private readonly logger: LoggerService,
    private readonly lookup: RegistryLookup,
    private readonly requests: RequestsService,
  ) {}

  private get schema(): string {
    return this.outbox.schema;
  }

  async receive(mail: IncomingMail): Promise<MailOutcome> {
    const sorted = await this.sort(mail);
    const stored = await this.dataSource.transaction((m) => this.store(m, mail, sorted));
    if (stored) {
      const requestId = sorted.status === 'received' ? await this.fileFromContact(stored) : null;
      return { emailId: stored, status: requestId ? 'filed' : sorted.status, duplicate: false, requestId };
    }
    // a resend: nothing new, but finish filing if an earlier attempt stopped half-way
    const prior = await this.dataSource.getRepository(InboundEmail).findOneByOrFail({ messageId: sorted.messageId });
    const requestId = prior.status === 'received' ? await this.fileFromContact(prior.id) : prior.requestId;
    return { emailId: prior.id, status: requestId ? 'filed' : prior.status, duplicate: true, requestId };
  }

  /** Who sent the mail and what it is: a reply to a case, mail from one customer's contact, or unmatched. */
  private async sort(mail: IncomingMail): Promise<SortedMail> {
    const messageId = mail.messageId.trim().slice(0, 998);
    const from = mail.from.address.trim().toLowerCase();
    const caseNumber = caseNumberInSubject(mail.subject);
    const contacts = from ? await this.lookup.contactsByEmail(from) : [];
    // the same address registered with two customers: an agent decides
    const customers = new Set(contacts.map((c) => c.customerId));
    const contact = customers.size === 1 ? (contacts[0] ?? null) : null;
    const status: InboundEmailStatus = caseNumber ? 'reply' : contact ? 'received' : 'unmatched';
    return { messageId, from, caseNumber, contact, status };
  }

  /** The mail row, its attachments and (for a reply) the event, once per Message-ID; null for a resend. */
  private async store(m: EntityManager, mail: IncomingMail, sorted: SortedMail): Promise<string | null> {
    const { messageId, from, caseNumber, contact, status } = sorted;
    const id = randomUUID();
    const receivedAt = this.clock.now();
    const inserted: Array<{ id: string }> = await m.query(
      `INSERT INTO "${this.schema}".inbound_emails
         (id, message_id, from_address, from_name, subject, text, region, received_at, status, customer_id, contact_id, case_number)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (message_id) DO NOTHING RETURNING id`,
      [
        id,
        messageId,
        from,
        mail.from.name?.trim() || null,
        mail.subject,
        mail.text,
        this.config.region,
        receivedAt,
        status,
        contact?.customerId ?? null,
        contact?.id ?? null,
        caseNumber,
      ],
    );
    if (!inserted.length) return null;
    const files = mail.attachments.map((a) =>
      m.create(AttachmentRecord, {
        id: randomUUID(),
        ownerKind: 'email',
        ownerId: id,
        region: this.config.region,
        customerId: contact?.customerId ?? null,
        // the request's attachment list takes at most 255 characters
        filename: a.filename.slice(0, 255),
        contentType: a.contentType.slice(0, 255),
        size: a.content.length,
        content: a.content,
      }),
    );
    if (files.length) await m.insert(AttachmentRecord, files);
    if (caseNumber) await this.announceReply(m, id, mail, { ...sorted, caseNumber }, receivedAt, files);
    return id;
  }

  /** A reply goes to the case service (which owns the case the number names). */
  private async announceReply(
    m: EntityManager,
    id: string,
    mail: IncomingMail,
    sorted: SortedMail & { caseNumber: string },
    receivedAt: Date,
    files: AttachmentRecord[],
  ): Promise<void> {
    const { messageId, from, caseNumber, contact } = sorted;
    await this.outbox.append(m, [
      {
        type: 'intake.email.reply-received.v1',
        aggregateType: 'inbound-email',
        aggregateId: id,
        data: {
          messageId,
          caseNumber,
          region: this.config.region,
          ...(contact ? { customerId: contact.customerId } : {}),
          from,
          subject: mail.subject,
          text: mail.text,
          receivedAt: receivedAt.toISOString(),
          attachments: files.map(attachmentRef),
        },
      },
    ]);
  }

  /** Files every mail left 'received' by a crash (run at start-up). */
  async resumePending(): Promise<number> {
    const pending = await this.dataSource.getRepository(InboundEmail).find({ where: { status: 'received' }, select: { id: true } });
    for (const p of pending) await this.fileFromContact(p.id);
    return pending.length;
  }

  /** Mail from a registered contact → a request under the system principal, exactly once per Message-ID. */
  private async fileFromContact(emailId: string): Promise<string | null> {
    try {
      return await this.dataSource.transaction(async (m) => {
        const email = await this.locked(m, emailId);
        if (!email || email.status !== 'received') return email?.requestId ?? null;
        const dto: CreateRequestDto = {
          customerId: email.customerId!,
          contactId: email.contactId!,
          channel: 'email',
          symptom: symptomOf(email.subject, email.text),
          attachments: await this.attachmentsOf(m, email.id),
        };
        const principal = systemPrincipal(EMAIL_PRINCIPAL, this.config.region);
        const result = await this.requests.create(dto, principal, keyFor('email', email.messageId));
        const requestId = result.body.id;
        await m.update(
          InboundEmail,
          { id: email.id },
          { status: 'filed', requestId, filedBy: principal.subject, filedAt: this.clock.now() },
        );
        return requestId;
      });
    } catch (e) {
      // refused by the request rules (e.g. the contact was removed meanwhile): an agent decides,
      // rather than the sending server retrying a mail that can never be filed
      if (!(e instanceof HttpException) || e.getStatus() >= 500) throw e;
      this.logger.warn(`mail ${emailId} could not be filed (${e.message}): left for an agent`, 'smtp');
      await this.dataSource.getRepository(InboundEmail).update({ id: emailId, status: 'received' }, { status: 'unmatched' });
      return null;
    }
  }

  /** An agent files an unmatched mail for a customer it identified. */
  async fileUnmatched(id: string, body: FileEmailDto, by: Principal, idempotencyKey?: string) {
    const customer = await this.lookup.customer(body.customerId);
    if (!customer) throw unprocessable('unknown customer', 'customerId', `no customer ${body.customerId} in the registry`);
    return this.dataSource.transaction(async (m) => {
      const email = await this.locked(m, id, by);
      if (!email) throw new NotFoundException(`email ${id} not found`);
      if (email.status !== 'unmatched') {
        throw conflict(
          `email ${id} is ${email.status}, not unmatched`,
          'status',
          `only unmatched mail can be filed (it is ${email.status})`,
        );
      }
      const dto: CreateRequestDto = {
        ...body,
        customerId: customer.id,
        ...(body.contact || body.contactId ? {} : { contact: { name: email.fromName || email.from, email: email.from } }),
        channel: 'email',
        symptom: body.symptom ?? symptomOf(email.subject, email.text),
        attachments: await this.attachmentsOf(m, email.id),
      };
      const result = await this.requests.create(dto, by, idempotencyKey ?? keyFor('email-file', email.messageId));
      const requestId = result.body.id;
      await m.update(
        InboundEmail,
        { id: email.id },
        { status: 'filed', customerId: customer.id, requestId, filedBy: by.subject, filedAt: this.clock.now() },
      );
      await m.update(AttachmentRecord, { ownerKind: 'email', ownerId: email.id }, { customerId: customer.id });
      return { ...(await m.findOneByOrFail(InboundEmail, { id: email.id })), request: result.body };
    });
  }

  async list(by: Principal, status: InboundEmailStatus | undefined, limit: number, offset: number): Promise<Page<InboundEmail>> {
    const [items, total] = await this.dataSource.getRepository(InboundEmail).findAndCount({
      where: { ...visibleTo(by), ...(status ? { status } : {}) },
      order: { receivedAt: 'ASC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items, total, limit, offset };
  }

  async get(id: string, by: Principal) {
    const email = await this.dataSource.getRepository(InboundEmail).findOneBy({ id, ...visibleTo(by) });
    if (!email) throw new NotFoundException(`email ${id} not found`);
    const files = await this.dataSource
      .getRepository(AttachmentRecord)
      .find({ where: { ownerKind: 'email', ownerId: id }, order: { filename: 'ASC', id: 'ASC' } });
    return { ...email, attachments: files.map(attachmentRef) };
  }

  private async attachmentsOf(m: EntityManager, emailId: string) {
    const files = await m.find(AttachmentRecord, {
      where: { ownerKind: 'email', ownerId: emailId },
      order: { filename: 'ASC', id: 'ASC' },
    });
    return files.map(attachmentRef);
  }

  private async locked(m: EntityManager, id: string, by?: Principal): Promise<InboundEmail | null> {
    return m.getRepository(InboundEmail).findOne({ where: { id, ...(by ? visibleTo(by) : {}) }, lock: { mode: 'pessimistic_write' } });
  }
}

/** The symptom a request gets from a mail: subject, then body, within the request's limit. */
export function symptomOf(subject: string, text: string): string {
  const s = [subject.trim(), text.trim()].filter(Boolean).join('\n\n') || '(empty mail)';
  return s.length > SYMPTOM_MAX ? s.slice(0, SYMPTOM_MAX - 1) + '…' : s;
}

/** Idempotency keys must be short visible ASCII; a Message-ID may be neither. */
function keyFor(prefix: string, messageId: string): string {
  return `${prefix}:${createHash('sha256').update(messageId).digest('hex').slice(0, 40)}`;
}
