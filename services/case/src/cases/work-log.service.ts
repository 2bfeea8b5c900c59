import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { WorkLogEntry, WorkLogKind } from './work-log.entity';

export interface WorkLogInput {
  caseId: string;
  kind: WorkLogKind;
  /** shown to the customer (status changes, public notes, their own calls and mails) */
  public: boolean;
  actor: { subject: string; role: string };
  text: string;
  data?: Record<string, unknown>;
}

/** Appends to a case's audit trail, inside the caller's transaction (the entry commits with what it records). */
@Injectable()
export class WorkLog {
  constructor(@Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime) {}

  async append(m: EntityManager, e: WorkLogInput): Promise<WorkLogEntry> {
    const entry = m.create(WorkLogEntry, {
      id: randomUUID(),
      caseId: e.caseId,
      kind: e.kind,
      public: e.public,
      actorSubject: e.actor.subject,
      actorRole: e.actor.role,
      text: e.text,
      data: e.data ?? null,
      at: this.rt.clock.now(),
    });
    // jsonb data is any JSON: TypeORM's deep-partial type cannot say so
    await m.insert(WorkLogEntry, entry as QueryDeepPartialEntity<WorkLogEntry>);
    return entry;
  }

  async list(m: EntityManager, caseId: string, publicOnly: boolean, limit: number, offset: number) {
    const where = { caseId, ...(publicOnly ? { public: true } : {}) };
    const [items, total] = await m.findAndCount(WorkLogEntry, { where, order: { seq: 'ASC' }, take: limit, skip: offset });
    return { items, total, limit, offset };
  }
}
