import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope } from '@aftersales/contracts';
import { HandlerContext, Outbox, OutboxEvent } from '@aftersales/messaging';
import { Clock, SERVICE_SETTINGS } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { BusinessCalendar } from '@aftersales/calendar';
import { CaseFacts, CaseProjectionRepository } from '../cases/case-projection.repository';
import { Channels } from '../channels/channels';
import { WebhookRepository } from '../channels/webhook.repository';
import { DirectoryRepository } from '../directory/directory.repository';
import {
  Address,
  admit,
  businessHoursCalendar,
  holdUntil,
  Language,
  Recipient,
  renderTemplate,
  resolveStaff,
  Severity,
  TemplateId,
} from '../domain';
import { NotifySettings } from '../notify.config';
import { TemplateStore } from '../templates/template-store';
import { DeliveryMetrics, Outcome } from './delivery-metrics';
import { DeliveryRepository, DeliveryStatus, NewDelivery } from './delivery.repository';
import { DeliveryWorker } from './delivery-worker';

/** A customer contact to tell (case acknowledgement, survey invitation, contract notices). */
export interface ContactAudience {
  customerId: string;
  name: string;
  email?: string;
  phone?: string;
  /** the deployment's default language when the event does not say */
  language?: Language;
  /** also tell the customer's system when it subscribed a webhook */
  webhook?: boolean;
}

/** Something that happened and who must hear of it. */
export interface Notice {
  template: TemplateId;
  caseId: string | null;
  region: string;
  severity: Severity | null;
  /** the event's own time: who is on call then */
  at: Date;
  /** template variables (the case number is added from the projection when the event lacks it) */
  data: Record<string, unknown>;
  audience: { roles: readonly string[] } | { contact: ContactAudience } | { contacts: readonly ContactAudience[] };
  /** the contract's coverage when the event says it (else the projection's) */
  coverage?: 'business-hours' | '7x24' | null;
}

interface Planned {
  status: DeliveryStatus;
  dueAt: Date | null;
  digestId: string | null;
  answer: string | null;
  outcome: Outcome;
}

/**
 * Turns a notice into delivery log rows inside the event's inbox transaction: resolves the
 * recipients, renders each one's template in their language, applies the quiet rule, the rate
 * limit and the digest, and writes one row per (event, recipient, channel) — in-app ones already
 * delivered, the others queued for the worker, which is kicked once the transaction commits.
 */
@Injectable()
export class Notifier {
  private readonly businessHours: BusinessCalendar;

  constructor(
    @Inject(SERVICE_SETTINGS) private readonly s: NotifySettings,
    private readonly deliveries: DeliveryRepository,
    private readonly directory: DirectoryRepository,
    private readonly cases: CaseProjectionRepository,
    private readonly templates: TemplateStore,
    private readonly channels: Channels,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly metrics: DeliveryMetrics,
    private readonly worker: DeliveryWorker,
    private readonly webhooks: WebhookRepository,
  ) {
    this.businessHours = businessHoursCalendar(s.NOTIFY_TIME_ZONE, s.NOTIFY_BUSINESS_DAYS, s.NOTIFY_BUSINESS_HOURS);
  }

  async notify(n: Notice, cause: EventEnvelope, tx: HandlerContext): Promise<void> {
    const m = tx.manager;
    const now = this.clock.now();
    const facts = n.caseId ? await this.cases.get(m, n.caseId) : undefined;
    if (n.caseId && typeof n.data.caseNumber === 'string' && !facts?.caseNumber) {
      await this.cases.remember(m, { caseId: n.caseId, caseNumber: n.data.caseNumber, region: n.region }, now);
    }
    const recipients = await this.recipients(m, n, facts);
    const templates = await this.templates.inUse(m, n.template);
    const data = { caseNumber: facts?.caseNumber ?? n.caseId ?? '', region: n.region, ...n.data };
    const coverage = n.coverage ?? facts?.coverage ?? null;
    const contacts = contactsOf(n);
    const audience = contacts ? 'customer' : 'staff';
    const customerId = contacts?.[0]?.customerId ?? null;
    const counted: Array<{ outcome: Outcome; channel: NewDelivery['channel'] }> = [];
    const events: OutboxEvent[] = [];
    for (const r of recipients) {
      const rendered = renderTemplate(
        templates[r.language],
        { ...data, recipientName: r.name ?? '', onBehalfOf: r.onBehalfOf ?? '' },
        { language: r.language, timeZone: this.s.NOTIFY_TIME_ZONE },
      );
      for (const a of r.addresses) {
        const base = queuedDelivery({ n, cause, recipient: r, address: a, rendered, customerId, audience, now });
        const plan = await this.plan(m, base, n, coverage, now);
        const row: NewDelivery = {
          ...base,
          status: plan.status,
          dueAt: plan.dueAt,
          digestId: plan.digestId,
          providerAnswer: plan.answer,
          sentAt: plan.status === 'sent' ? now : null,
        };
        if (!(await this.deliveries.insert(m, row))) continue; // this event already wrote it
        counted.push({ outcome: plan.outcome, channel: a.channel });
        events.push(recordedEvent(n, cause, row));
      }
    }
    await this.outbox.append(m, events);
    tx.afterCommit(() => {
      for (const c of counted) this.metrics.count(c.channel, c.outcome);
      if (counted.some((c) => c.outcome === 'queued' || c.outcome === 'digested')) this.worker.kick();
    });
  }

  private async recipients(m: EntityManager, n: Notice, facts: CaseFacts | undefined): Promise<Recipient[]> {
    if ('roles' in n.audience) {
      const owner = facts?.ownerId ? { id: facts.ownerId, name: facts.ownerName ?? facts.ownerId } : null;
      const view = await this.directory.view(m, n.region, n.audience.roles, owner);
      return resolveStaff(n.audience.roles, n.region, n.at, view, this.s.NOTIFY_DEFAULT_LANGUAGE);
    }
    const out: Recipient[] = [];
    for (const c of contactsOf(n) ?? []) out.push(await this.contactRecipient(c, m));
    return out;
  }

  private async contactRecipient(c: ContactAudience, m: EntityManager): Promise<Recipient> {
    // the first channel the contact gave that this deployment has; else the first they gave (recorded as skipped)
    const given = [
      ...(c.email ? [{ channel: 'email' as const, address: c.email }] : []),
      ...(c.phone ? [{ channel: 'sms' as const, address: c.phone }] : []),
    ];
    const best: Address = given.find((a) => this.channels.isOn(a.channel)) ??
      given[0] ?? { channel: 'in-app', address: `customer:${c.customerId}` };
    const addresses: Address[] = [best];
    if (c.webhook && this.channels.isOn('webhook') && (await this.webhooks.get(c.customerId, m))) {
      addresses.push({ channel: 'webhook', address: c.customerId });
    }
    // a contact with no address of their own reads the customer's shared inbox
    const personId = best.channel === 'in-app' ? best.address : null;
    return { role: 'contact', personId, name: c.name, language: c.language ?? this.s.NOTIFY_DEFAULT_LANGUAGE, addresses, onBehalfOf: null };
  }

  /** In-app now; a channel that is off skipped; else queued now, held for business hours, or into the digest. */
  private async plan(m: EntityManager, d: NewDelivery, n: Notice, coverage: Notice['coverage'], now: Date): Promise<Planned> {
    if (d.channel === 'in-app') return { status: 'sent', dueAt: null, digestId: null, answer: 'in the inbox', outcome: 'sent' };
    if (!this.channels.isOn(d.channel)) {
      return { status: 'skipped', dueAt: null, digestId: null, answer: `channel ${d.channel} is not configured`, outcome: 'skipped' };
    }
    const hold = holdUntil(
      { audience: d.audience, channel: d.channel, severity: n.severity, coverage: coverage ?? null },
      now,
      this.businessHours,
    );
    if (hold) return { status: 'queued', dueAt: hold, digestId: null, answer: `held for business hours`, outcome: 'held' };
    const recent = this.s.NOTIFY_RATE_LIMIT
      ? await this.deliveries.recentCount(m, d.channel, d.recipient, new Date(now.getTime() - this.s.NOTIFY_RATE_WINDOW_MINUTES * 60_000))
      : 0;
    const admission = admit({
      template: d.template,
      severity: n.severity,
      channel: d.channel,
      recentToRecipient: recent,
      rateLimit: this.s.NOTIFY_RATE_LIMIT,
      digestMinutes: this.s.NOTIFY_DIGEST_MINUTES,
      rateWindowMinutes: this.s.NOTIFY_RATE_WINDOW_MINUTES,
    });
    if (admission.kind === 'now') return { status: 'queued', dueAt: now, digestId: null, answer: null, outcome: 'queued' };
    const digestId = await this.deliveries.openDigest(m, {
      ...d,
      id: randomUUID(),
      dueAt: new Date(now.getTime() + admission.windowMinutes * 60_000),
    });
    return { status: 'digested', dueAt: null, digestId, answer: `merged into digest (${admission.reason})`, outcome: 'digested' };
  }
}

/** One address's row as the event asks for it now; the plan (quiet rule, rate limit, digest) then decides its fate. */
function queuedDelivery(o: {
  n: Notice;
  cause: EventEnvelope;
  recipient: Recipient;
  address: Address;
  rendered: ReturnType<typeof renderTemplate>;
  customerId: string | null;
  audience: NewDelivery['audience'];
  now: Date;
}): NewDelivery {
  const { n, cause, recipient: r, address: a, rendered, now } = o;
  return {
    id: randomUUID(),
    eventId: cause.id,
    eventType: cause.type,
    dedupeKey: `${cause.id}|${a.channel}|${a.address}`,
    caseId: n.caseId,
    customerId: o.customerId,
    region: n.region,
    template: n.template,
    kind: 'single',
    digestId: null,
    channel: a.channel,
    recipient: a.address,
    personId: r.personId,
    onBehalfOf: r.onBehalfOf,
    audience: o.audience,
    role: r.role,
    language: r.language,
    severity: n.severity,
    subject: rendered.subject,
    body: rendered.text,
    html: rendered.html,
    status: 'queued',
    dueAt: now,
    sentAt: null,
    providerAnswer: null,
    createdAt: now,
  };
}

/** `notify.notification.recorded.v1` for a row just written (keyed by its case, else by itself). */
function recordedEvent(n: Notice, cause: EventEnvelope, row: NewDelivery): OutboxEvent<'notify.notification.recorded.v1'> {
  return {
    type: 'notify.notification.recorded.v1',
    aggregateType: n.caseId ? 'case' : 'notification',
    aggregateId: n.caseId ?? row.id,
    cause,
    data: {
      notificationId: row.id,
      ...(n.caseId ? { caseId: n.caseId } : {}),
      region: n.region,
      template: n.template,
      channel: row.channel,
      recipient: row.recipient,
    },
  };
}

function contactsOf(n: Notice): readonly ContactAudience[] | null {
  if ('contact' in n.audience) return [n.audience.contact];
  if ('contacts' in n.audience) return n.audience.contacts;
  return null;
}
