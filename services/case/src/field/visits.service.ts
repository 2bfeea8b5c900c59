import { Inject, Injectable } from '@nestjs/common';
import { Principal, SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Case } from '../cases/case.entity';
import { CaseTransitions, WorkLog } from './case-core';
import { ArrivalDto, CompletionDto, DispatchVisitDto } from './field.dto';
import { FieldVisit } from './field.entities';
import { actorOf, caseRef, conflict, invalid, notFound, visibleCase } from './field-errors';
import { checkArrival, checkCompletion, TimeCheck, visitStage } from './visit-times';

const iso = (t: Date | null) => (t ? t.toISOString() : null);

/** On-site visits (上门): dispatch, arrival, completion; each step an event and a public work-log entry. */
@Injectable()
export class VisitsService {
  constructor(
    @Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime,
    private readonly transitions: CaseTransitions,
    private readonly workLog: WorkLog,
  ) {}

  async dispatch(caseId: string, dto: DispatchVisitDto, by: Principal) {
    return this.rt.dataSource.transaction(async (m) => {
      const c = await visibleCase(m, caseId, by, true);
      // a second visit on a case already on site needs no transition
      if (c.status !== 'on-site') await this.transitions.transition(m, c.id, 'on-site', actorOf(by), `on-site visit by ${dto.engineerId}`);
      const visit = m.create(FieldVisit, {
        id: randomUUID(),
        caseId: c.id,
        engineerId: dto.engineerId.trim(),
        plannedArrivalAt: new Date(dto.plannedArrivalAt),
        arrivedAt: null,
        completedAt: null,
        note: dto.note ?? null,
        workDone: null,
        dispatchedBy: by.subject,
        dispatchedAt: this.rt.clock.now(),
      });
      await m.insert(FieldVisit, visit);
      await this.announce(
        m,
        c,
        visit,
        by,
        `On-site visit dispatched: engineer ${visit.engineerId}, planned arrival ${visit.plannedArrivalAt.toISOString()}`,
      );
      return this.view(visit);
    });
  }

  async arrive(caseId: string, visitId: string, dto: ArrivalDto, by: Principal) {
    return this.rt.dataSource.transaction(async (m) => {
      const c = await visibleCase(m, caseId, by, true);
      const visit = await this.lockedVisit(m, c.id, visitId);
      const now = this.rt.clock.now();
      const arrivedAt = dto.arrivedAt ? new Date(dto.arrivedAt) : now;
      this.enforce(checkArrival(visit, arrivedAt, now));
      visit.arrivedAt = arrivedAt;
      await m.update(FieldVisit, { id: visit.id }, { arrivedAt });
      await this.announce(m, c, visit, by, `Engineer ${visit.engineerId} arrived on site at ${arrivedAt.toISOString()}`);
      return this.view(visit);
    });
  }

  async complete(caseId: string, visitId: string, dto: CompletionDto, by: Principal) {
    return this.rt.dataSource.transaction(async (m) => {
      const c = await visibleCase(m, caseId, by, true);
      const visit = await this.lockedVisit(m, c.id, visitId);
      const now = this.rt.clock.now();
      const completedAt = dto.completedAt ? new Date(dto.completedAt) : now;
      this.enforce(checkCompletion(visit, completedAt, now));
      visit.completedAt = completedAt;
      visit.workDone = dto.workDone;
      await m.update(FieldVisit, { id: visit.id }, { completedAt, workDone: dto.workDone });
      await this.announce(m, c, visit, by, `On-site work completed at ${completedAt.toISOString()}: ${dto.workDone}`);
      return this.view(visit);
    });
  }

  async list(caseId: string, by: Principal) {
    const m = this.rt.dataSource.manager;
    const c = await visibleCase(m, caseId, by);
    const visits = await m.find(FieldVisit, { where: { caseId: c.id }, order: { plannedArrivalAt: 'ASC', id: 'ASC' } });
    return { items: visits.map((v) => this.view(v)) };
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
    await this.rt.outbox.append(m, [
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

  view(v: FieldVisit) {
    return {
      id: v.id,
      caseId: v.caseId,
      engineerId: v.engineerId,
      stage: visitStage(v),
      plannedArrivalAt: v.plannedArrivalAt.toISOString(),
      arrivedAt: iso(v.arrivedAt),
      completedAt: iso(v.completedAt),
      workDone: v.workDone,
      note: v.note,
      dispatchedBy: v.dispatchedBy,
      dispatchedAt: v.dispatchedAt.toISOString(),
    };
  }
}
