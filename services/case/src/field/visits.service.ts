import { Injectable } from '@nestjs/common';
import { Clock, Principal, withIdempotency } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Case } from '../cases/case.entity';
import { Engineer } from '../engineers/engineer.entity';
import { CaseTransitions, WorkLog } from './case-core';
import { ArrivalDto, CompletionDto, DispatchVisitDto } from './field.dto';
import { FieldVisit } from './field.entities';
import { actorOf, caseRef, conflict, invalid, isCustomerOnly, notFound, unprocessable, visibleCase } from './field-errors';
import { checkArrival, checkCompletion, TimeCheck, visitStage } from './visit-times';
import { Outbox } from '@aftersales/messaging';

const iso = (t: Date | null) => (t ? t.toISOString() : null);

/** On-site visits (上门): dispatch, arrival, completion; each step an event and a public work-log entry. */
@Injectable()
export class VisitsService {
  constructor(
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly transitions: CaseTransitions,
    private readonly workLog: WorkLog,
  ) {}

  /** A retried dispatch with the same Idempotency-Key answers the first visit instead of sending a second engineer. */
  async dispatch(caseId: string, dto: DispatchVisitDto, by: Principal, idempotencyKey?: string) {
    return this.dataSource.transaction(async (m) =>
      withIdempotency(m, this.outbox.schema, `visits:${caseId}:${by.subject}`, idempotencyKey, dto, async () => ({
        status: 201,
        body: await this.dispatchIn(m, caseId, dto, by),
      })),
    );
  }

  private async dispatchIn(m: EntityManager, caseId: string, dto: DispatchVisitDto, by: Principal) {
    const c = await visibleCase(m, caseId, by, true);
    const engineer = await m.findOneBy(Engineer, { id: dto.engineerId.trim() });
    if (!engineer) throw unprocessable('engineerId', `engineer ${dto.engineerId} is not in the engineer directory`);
    if (!engineer.active) throw unprocessable('engineerId', `engineer ${engineer.id} is not active`);
    // a second visit on a case already on site needs no transition
    if (c.status !== 'on-site') await this.transitions.transition(m, c.id, 'on-site', actorOf(by), `on-site visit by ${engineer.name}`);
    const visit = m.create(FieldVisit, {
      id: randomUUID(),
      caseId: c.id,
      engineerId: engineer.id,
      plannedArrivalAt: new Date(dto.plannedArrivalAt),
      arrivedAt: null,
      completedAt: null,
      note: dto.note ?? null,
      workDone: null,
      dispatchedBy: by.subject,
      dispatchedAt: this.clock.now(),
    });
    await m.insert(FieldVisit, visit);
    const planned = visit.plannedArrivalAt.toISOString();
    await this.announce(m, c, visit, by, `On-site visit dispatched: ${engineer.name} (${engineer.id}), planned arrival ${planned}`);
    return this.view(visit, false);
  }

  async arrive(caseId: string, visitId: string, dto: ArrivalDto, by: Principal) {
    return this.dataSource.transaction(async (m) => {
      const c = await visibleCase(m, caseId, by, true);
      const visit = await this.lockedVisit(m, c.id, visitId);
      const now = this.clock.now();
      const arrivedAt = dto.arrivedAt ? new Date(dto.arrivedAt) : now;
      this.enforce(checkArrival(visit, arrivedAt, now));
      visit.arrivedAt = arrivedAt;
      await m.update(FieldVisit, { id: visit.id }, { arrivedAt });
      await this.announce(m, c, visit, by, `Engineer ${visit.engineerId} arrived on site at ${arrivedAt.toISOString()}`);
      return this.view(visit, false);
    });
  }

  async complete(caseId: string, visitId: string, dto: CompletionDto, by: Principal) {
    return this.dataSource.transaction(async (m) => {
      const c = await visibleCase(m, caseId, by, true);
      const visit = await this.lockedVisit(m, c.id, visitId);
      const now = this.clock.now();
      const completedAt = dto.completedAt ? new Date(dto.completedAt) : now;
      this.enforce(checkCompletion(visit, completedAt, now));
      visit.completedAt = completedAt;
      visit.workDone = dto.workDone;
      await m.update(FieldVisit, { id: visit.id }, { completedAt, workDone: dto.workDone });
      await this.announce(m, c, visit, by, `On-site work completed at ${completedAt.toISOString()}: ${dto.workDone}`);
      return this.view(visit, false);
    });
  }

  async list(caseId: string, by: Principal) {
    const m = this.dataSource.manager;
    const c = await visibleCase(m, caseId, by);
    const visits = await m.find(FieldVisit, { where: { caseId: c.id }, order: { plannedArrivalAt: 'ASC', id: 'ASC' } });
    return { items: visits.map((v) => this.view(v, isCustomerOnly(by))) };
  }

  private async lockedVisit(m: EntityManager, caseId: string, visitId: string): Promise<FieldVisit> {
    const visit = await m.findOne(FieldVisit, { where: { id: visitId, caseId }, lock: { mode: 'pessimistic_write' } });
    if (!visit) throw notFound('visitId', `visit ${visitId} not found on case ${caseId}`);
    return visit;
  }

  private enforce(check: TimeCheck): void {
    if (check.ok) return;
    if (check.kind === 'field') throw invalid(check.errors);
    throw conflict(check.message);
  }

  private async announce(m: EntityManager, c: Case, v: FieldVisit, by: Principal, text: string): Promise<void> {
    await this.outbox.append(m, [
      {
        type: 'case.visit.updated.v1',
        aggregateType: 'case',
        aggregateId: c.id,
        data: {
          ...caseRef(c),
          visitId: v.id,
          engineerId: v.engineerId,
          plannedArrivalAt: v.plannedArrivalAt.toISOString(),
          arrivedAt: iso(v.arrivedAt),
          completedAt: iso(v.completedAt),
        },
      },
    ]);
    await this.workLog.append(m, {
      caseId: c.id,
      kind: 'visit',
      public: true,
      actor: actorOf(by),
      text,
      data: { visitId: v.id, engineerId: v.engineerId, stage: visitStage(v) },
    });
  }

  /** The dispatch note and who dispatched are the desk's business, not the customer's. */
  view(v: FieldVisit, forCustomer: boolean) {
    const desk = { note: v.note, dispatchedBy: v.dispatchedBy, dispatchedAt: v.dispatchedAt.toISOString() };
    return {
      id: v.id,
      caseId: v.caseId,
      engineerId: v.engineerId,
      stage: visitStage(v),
      plannedArrivalAt: v.plannedArrivalAt.toISOString(),
      arrivedAt: iso(v.arrivedAt),
      completedAt: iso(v.completedAt),
      workDone: v.workDone,
      ...(forCustomer ? {} : desk),
    };
  }
}
