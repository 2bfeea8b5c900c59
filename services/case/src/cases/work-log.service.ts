import { Injectable } from '@nestjs/common';
import { Clock } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Case } from './case.entity';
import { ANSWER_KINDS, answerOf, CONTACT_MOVES, STAFF_ROLES } from './first-response';
import { WorkLogEntry, WorkLogKind } from './work-log.entity';
import { Outbox } from '@aftersales/messaging';

export interface WorkLogInput {
  caseId: string;
  kind: WorkLogKind;
  /** shown to the customer (status changes, public notes, their own calls and mails) */
  public: boolean;
  actor: { subject: string; role: string };
  text: string;
  data?: Record<string, unknown>;
}

/**
 * Appends to a case's audit trail, inside the caller's transaction (the entry commits with what it
 * records). The first entry that answers the customer (`first-response.ts`) also announces
 * `case.customer-responded.v1` in that transaction.
 */
@Injectable()
export class WorkLog {
  constructor(
    private readonly clock: Clock,
    private readonly outbox: Outbox,
  ) {}

  /** Entries held back per transaction while `batched` runs, inserted together when it ends. */
  private readonly held = new WeakMap<EntityManager, WorkLogEntry[]>();

  /**
   * Runs `work` with the entries it appends on `m` written as one multi-row insert at its end
   * rather than one insert each. An entry that may answer the customer first writes those held
   * before it, since answering reads the trail.
   */
  async batched<T>(m: EntityManager, work: () => Promise<T>): Promise<T> {
    if (this.held.has(m)) return work();
    this.held.set(m, []);
    try {
      const result = await work();
      await this.flush(m);
      return result;
    } finally {
      this.held.delete(m);
    }
  }

  async append(m: EntityManager, e: WorkLogInput): Promise<WorkLogEntry> {
    const answer = answerOf(e);
    const held = this.held.get(m);
    if (answer && held) await this.flush(m);
    const firstFor = answer ? await this.unansweredCase(m, e.caseId) : null;
    const entry = m.create(WorkLogEntry, {
      id: randomUUID(),
      caseId: e.caseId,
      kind: e.kind,
      public: e.public,
      actorSubject: e.actor.subject,
      actorRole: e.actor.role,
      text: e.text,
      data: e.data ?? null,
      at: this.clock.now(),
    });
    if (!answer && held) {
      held.push(entry);
      return entry;
    }
    await this.insert(m, [entry]);
    if (answer && firstFor) {
      await this.outbox.append(m, [
        {
          type: 'case.customer-responded.v1',
          aggregateType: 'case',
          aggregateId: firstFor.id,
          data: {
            caseId: firstFor.id,
            caseNumber: firstFor.caseNumber,
            region: firstFor.region,
            customerId: firstFor.customerId,
            ...answer,
            workLogEntryId: entry.id,
            actor: { subject: e.actor.subject, role: e.actor.role },
            at: entry.at.toISOString(),
          },
        },
      ]);
    }
    return entry;
  }

  private async flush(m: EntityManager): Promise<void> {
    const held = this.held.get(m);
    if (!held?.length) return;
    await this.insert(m, held.splice(0));
  }

  private async insert(m: EntityManager, entries: WorkLogEntry[]): Promise<void> {
    // jsonb data is any JSON: TypeORM's deep-partial type cannot say so
    await m.insert(WorkLogEntry, entries as Array<QueryDeepPartialEntity<WorkLogEntry>>);
  }

  /**
   * The case, when nobody has answered its customer yet. Its row lock makes concurrent answers
   * queue, so the second sees the first one's entry and only one announces the response.
   */
  private async unansweredCase(m: EntityManager, caseId: string): Promise<Case | null> {
    const c = await m.findOne(Case, { where: { id: caseId }, lock: { mode: 'pessimistic_write' } });
    if (!c) return null;
    const answered = await m
      .createQueryBuilder(WorkLogEntry, 'w')
      .where('w.caseId = :caseId AND w.public AND w.actorRole IN (:...staff)', { caseId, staff: STAFF_ROLES })
      .andWhere(`(w.kind IN (:...kinds) OR (w.kind = 'status' AND w.data ->> 'to' IN (:...moves)))`, {
        kinds: ANSWER_KINDS,
        moves: CONTACT_MOVES,
      })
      .getExists();
    return answered ? null : c;
  }

  async list(m: EntityManager, caseId: string, publicOnly: boolean, limit: number, offset: number) {
    const where = { caseId, ...(publicOnly ? { public: true } : {}) };
    const [items, total] = await m.findAndCount(WorkLogEntry, { where, order: { seq: 'ASC' }, take: limit, skip: offset });
    return { items, total, limit, offset };
  }
}
