import { ConflictException, ForbiddenException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { CaseStatus } from '@aftersales/contracts';
import { Clock } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CaseTransition } from './case-history.entity';
import { ActorRole, allowedNext, checkTransition, statusPatch } from '../domain/case-lifecycle';
import { Case } from './case.entity';
import { WorkLog } from './work-log.service';
import { Outbox } from '@aftersales/messaging';

/** One move of a case's status, as recorded and announced. */
interface Move {
  from: CaseStatus;
  to: CaseStatus;
  actor: CaseActor;
  why: string | undefined;
  at: Date;
}

export interface CaseActor {
  subject: string;
  role: string;
}

/** A rule another module adds for entering a status: a non-null answer is why the case may not move (409). */
export type CaseGuard = (m: EntityManager, c: Case) => string | null | Promise<string | null>;

const ROLES: ReadonlySet<string> = new Set<ActorRole>(['agent', 'engineer', 'manager', 'customer', 'admin', 'system']);

/** The service's own actor for automatic moves (triage at intake, assignment). */
export const SYSTEM_ACTOR: CaseActor = { subject: 'system:case', role: 'system' };

/**
 * Applies the lifecycle table to a case row under lock: the checks, the status and its timestamps,
 * the history row, the work-log entry and `case.status.changed.v1` all commit in the caller's transaction.
 */
@Injectable()
export class CaseTransitions {
  private readonly guards = new Map<CaseStatus, CaseGuard[]>();

  constructor(
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    private readonly workLog: WorkLog,
  ) {
    // an owner first: "assigned" without one would be a case nobody works on
    this.addGuard('assigned', (_m, c) => (c.assigneeId ? null : 'the case has no owner yet: assign an engineer first'));
  }

  addGuard(to: CaseStatus, guard: CaseGuard): void {
    this.guards.set(to, [...(this.guards.get(to) ?? []), guard]);
  }

  /** `target`: the case's id (its row is locked here), or the case as this transaction already holds it (inserted or locked). */
  async transition(
    m: EntityManager,
    target: string | Case,
    to: CaseStatus,
    actor: CaseActor,
    reason?: string,
    o: { cause?: { id: string; correlationId?: string } } = {},
  ): Promise<Case> {
    const c = typeof target === 'string' ? await m.findOne(Case, { where: { id: target }, lock: { mode: 'pessimistic_write' } }) : target;
    if (!c) throw new NotFoundException(`case ${typeof target === 'string' ? target : target.id} not found`);
    const from = c.status;
    this.refuseByTable(from, to, actor, reason);
    await this.refuseByGuards(m, c, to, actor);

    const at = this.clock.now();
    const why = reason?.trim() || undefined;
    const patch = statusPatch(c, to, at);
    await m.update(Case, { id: c.id }, patch);
    Object.assign(c, patch);
    await this.record(m, c, { from, to, actor, why, at });
    await this.announce(m, c, { from, to, actor, why, at }, o.cause);
    return c;
  }

  /** The lifecycle table's answer: 403 for the role, 422 for a missing reason, 409 for the move itself. */
  private refuseByTable(from: CaseStatus, to: CaseStatus, actor: CaseActor, reason?: string): void {
    if (!ROLES.has(actor.role)) throw new ForbiddenException(`role ${actor.role} may not move cases`);
    const check = checkTransition(from, to, actor.role as ActorRole, reason);
    if (check.ok) return;
    const body = { message: check.reason, errors: [{ field: check.kind === 'reason-required' ? 'reason' : 'to', reason: check.reason }] };
    if (check.kind === 'forbidden') throw new ForbiddenException({ statusCode: 403, ...body, allowed: check.allowed });
    if (check.kind === 'reason-required') throw new UnprocessableEntityException({ statusCode: 422, ...body, allowed: check.allowed });
    throw new ConflictException({
      statusCode: 409,
      message: check.reason,
      errors: [{ field: 'status', reason: check.reason }],
      allowed: check.allowed,
    });
  }

  /** The rules other modules added for entering `to` (409 with the first refusal). */
  private async refuseByGuards(m: EntityManager, c: Case, to: CaseStatus, actor: CaseActor): Promise<void> {
    for (const guard of this.guards.get(to) ?? []) {
      const refusal = await guard(m, c);
      if (refusal !== null) {
        throw new ConflictException({
          statusCode: 409,
          message: `a ${c.status} case cannot move to ${to}: ${refusal}`,
          errors: [{ field: 'status', reason: refusal }],
          allowed: allowedNext(c.status, actor.role as ActorRole).filter((s) => s !== to),
        });
      }
    }
  }

  /** The history row and the public work-log entry. */
  private async record(m: EntityManager, c: Case, t: Move): Promise<void> {
    const { from, to, actor, why, at } = t;
    await m.insert(CaseTransition, {
      id: randomUUID(),
      caseId: c.id,
      from,
      to,
      actorSubject: actor.subject,
      actorRole: actor.role,
      reason: why ?? null,
      at,
    });
    await this.workLog.append(m, {
      caseId: c.id,
      kind: 'status',
      public: true,
      actor,
      text: `status ${from} → ${to}${why ? `: ${why}` : ''}`,
      data: { from, to, ...(why ? { reason: why } : {}) },
    });
  }

  private async announce(m: EntityManager, c: Case, t: Move, cause?: { id: string; correlationId?: string }): Promise<void> {
    const { from, to, actor, why, at } = t;
    await this.outbox.append(m, [
      {
        type: 'case.status.changed.v1',
        aggregateType: 'case',
        aggregateId: c.id,
        cause,
        data: {
          caseId: c.id,
          caseNumber: c.caseNumber,
          region: c.region,
          customerId: c.customerId,
          severity: c.severity,
          from,
          to,
          actor: { subject: actor.subject, role: actor.role },
          reason: why,
          at: at.toISOString(),
        },
      },
    ]);
  }
}
