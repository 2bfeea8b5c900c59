import { Injectable } from '@nestjs/common';
import { Envelope } from '@aftersales/messaging';
import { EntityManager } from 'typeorm';
import { Case } from './case.entity';
import { WorkLog } from './work-log.service';

const INTAKE = { subject: 'system:intake', role: 'system' };
const ESCALATION = { subject: 'system:escalation', role: 'system' };

/**
 * What other services report about a case lands in its work log: repeat calls and mail replies
 * (public: the customer made them), escalation rungs (internal).
 * Events about a case this service does not hold are dropped (nothing to log on).
 */
@Injectable()
export class CaseUpstreamLog {
  constructor(private readonly workLog: WorkLog) {}

  async repeatCall(event: Envelope<'intake.request.linked.v1'>, m: EntityManager): Promise<void> {
    const r = event.data;
    const c = await m.findOneBy(Case, { requestId: r.linkedRequestId, customerId: r.customerId });
    if (!c) return;
    await this.workLog.append(m, {
      caseId: c.id,
      kind: 'call',
      public: true,
      actor: INTAKE,
      text: `repeat call (${r.channel}): ${r.symptom}`,
      data: { requestId: r.requestId, channel: r.channel, receivedAt: r.receivedAt },
    });
  }

  /** A mail naming the case number: logged only when it comes from the case's customer (else anyone could write into a case). */
  async emailReply(event: Envelope<'intake.email.reply-received.v1'>, m: EntityManager): Promise<void> {
    const r = event.data;
    const c = await m.findOneBy(Case, { caseNumber: r.caseNumber });
    if (!c) return;
    const sameCustomer = r.customerId
      ? r.customerId === c.customerId
      : !!c.contact.email && addressOf(r.from) === c.contact.email.toLowerCase();
    if (!sameCustomer) return;
    await this.workLog.append(m, {
      caseId: c.id,
      kind: 'email',
      public: true,
      actor: { subject: `mail:${addressOf(r.from)}`, role: 'customer' },
      text: `${r.subject}\n\n${r.text}`,
      data: { messageId: r.messageId, from: r.from, receivedAt: r.receivedAt, attachments: r.attachments },
    });
  }

  async rungReached(event: Envelope<'escalation.rung.reached.v1'>, m: EntityManager): Promise<void> {
    const r = event.data;
    if (!(await m.existsBy(Case, { id: r.caseId }))) return;
    await this.workLog.append(m, {
      caseId: r.caseId,
      kind: 'system',
      public: false,
      actor: ESCALATION,
      text: `escalation: ${r.label} (${r.target} after ${r.afterMinutes} min)${r.notifyRoles.length ? `, notified ${r.notifyRoles.join(', ')}` : ''}`,
      data: { rungIndex: r.rungIndex, target: r.target, policyId: r.policyId, policyVersion: r.policyVersion, firedAt: r.firedAt },
    });
  }
}

/** `"Li Wei" <li.wei@example.com>` → `li.wei@example.com` */
function addressOf(from: string): string {
  return (from.match(/<([^>]+)>/)?.[1] ?? from).trim().toLowerCase();
}
