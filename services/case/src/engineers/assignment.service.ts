import { ConflictException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { Tier } from '@aftersales/contracts';
import { Outbox, OutboxEvent } from '@aftersales/messaging';
import { Clock } from '@aftersales/platform';
import { EntityManager } from 'typeorm';
import { CaseActor, CaseTransitions, SYSTEM_ACTOR } from '../cases/case-transitions.service';
import { Case } from '../cases/case.entity';
import { WorkLog } from '../cases/work-log.service';
import { decideAssignment } from '../domain/assignment-policy';
import { Engineer } from './engineer.entity';
import { EngineersService } from './engineers.service';

type Cause = { id: string; correlationId?: string };

/** Statuses in which the case waits for an owner: assigning one moves it on to `assigned`. */
const AWAITS_OWNER = new Set(['triaged', 'reopened']);

/** Applies the assignment policy (automatic at intake) and manual (re)assignment, with events and work log. */
@Injectable()
export class AssignmentService {
  constructor(
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    private readonly engineers: EngineersService,
    private readonly transitions: CaseTransitions,
    private readonly workLog: WorkLog,
  ) {}

  /** Routes a fresh case by the policy; without a match it stays triaged, the desk sees why in the log and `AssignmentRetry` offers it again. */
  async autoAssign(m: EntityManager, c: Case, cause?: Cause, opts: { logFailure?: boolean } = {}): Promise<Case> {
    let complainedAboutOwnerId: string | null = null;
    if (c.caseType === 'complaint' && c.relatedCaseId) {
      const about = await m.findOneBy(Case, { id: c.relatedCaseId });
      complainedAboutOwnerId = about?.assigneeId ?? null;
    }
    // loads are read then raised: automatic assignments take turns, so two cases opened at once
    // cannot both take an engineer's last free slot (held until this transaction commits)
    await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${this.outbox.schema}.case-assignment`]);
    const decision = decideAssignment(
      { severity: c.severity, region: c.region, productLine: c.productLine, caseType: c.caseType, complainedAboutOwnerId },
      await this.engineers.candidates(m),
    );
    if (!decision.assigned) {
      if (opts.logFailure === false) return c; // a retry (AssignmentRetry): the first failure is in the log already
      await this.workLog.append(m, {
        caseId: c.id,
        kind: 'system',
        public: false,
        actor: SYSTEM_ACTOR,
        text: `not assigned automatically: ${decision.reason}`,
      });
      return c;
    }
    const e = decision.engineer;
    return this.assign(m, c, { id: e.id, name: e.name }, decision.tier, decision.reason, SYSTEM_ACTOR, cause, decision.informManager);
  }

  /** A person (re)assigns: the engineer must exist and be active, the case must not be closed. */
  async manualAssign(m: EntityManager, c: Case, engineerId: string, tier: Tier | undefined, reason: string, actor: CaseActor) {
    const e = await m.findOneBy(Engineer, { id: engineerId });
    if (!e) throw this.unprocessable('engineerId', `engineer ${engineerId} does not exist`);
    if (!e.active) throw this.unprocessable('engineerId', `engineer ${engineerId} is not active`);
    if (c.status === 'closed') {
      throw new ConflictException({
        statusCode: 409,
        message: 'a closed case cannot be reassigned: reopen it first',
        errors: [{ field: 'status', reason: 'closed' }],
        allowed: [],
      });
    }
    if (c.assigneeId === e.id && c.tier === (tier ?? e.tier)) {
      throw new ConflictException({
        statusCode: 409,
        message: `the case is already assigned to ${e.name} at ${c.tier}`,
        errors: [{ field: 'engineerId', reason: 'already the owner' }],
      });
    }
    return this.assign(m, c, { id: e.id, name: e.name }, tier ?? e.tier, reason, actor);
  }

  /**
   * Another region's engineer, lent by its manager (interregion help): owns the case here though
   * this region's directory does not hold them, so the policy never routes other cases to them.
   */
  async assignLoaned(m: EntityManager, c: Case, e: { id: string; name: string }, reason: string, actor: CaseActor, cause?: Cause) {
    return this.assign(m, c, e, c.tier ?? 'L3', reason, actor, cause);
  }

  private async assign(
    m: EntityManager,
    c: Case,
    e: { id: string; name: string },
    tier: Tier,
    reason: string,
    actor: CaseActor,
    cause?: Cause,
    informManager = false,
  ): Promise<Case> {
    const previous = c.assigneeId ? { id: c.assigneeId, name: c.assigneeName, tier: c.tier } : null;
    await m.update(Case, { id: c.id }, { assigneeId: e.id, assigneeName: e.name, tier });
    Object.assign(c, { assigneeId: e.id, assigneeName: e.name, tier });
    const at = this.clock.now().toISOString();
    await this.workLog.append(m, {
      caseId: c.id,
      kind: 'assignment',
      public: true,
      actor,
      text: `assigned to ${e.name} (${tier})${previous ? `, was ${previous.name} (${previous.tier})` : ''}`,
      data: { engineerId: e.id, engineerName: e.name, tier, reason, previous },
    });
    const ref = { caseId: c.id, caseNumber: c.caseNumber, region: c.region, customerId: c.customerId, severity: c.severity };
    const events: OutboxEvent[] = [
      {
        type: 'case.assigned.v1',
        aggregateType: 'case',
        aggregateId: c.id,
        cause,
        data: { ...ref, tier, engineerId: e.id, engineerName: e.name, actor: { subject: actor.subject, role: actor.role }, reason, at },
      },
    ];
    if (informManager) {
      events.push({
        type: 'case.manager-informed.v1',
        aggregateType: 'case',
        aggregateId: c.id,
        cause,
        data: { ...ref, expertId: e.id, expertName: e.name, at },
      });
    }
    await this.outbox.append(m, events);
    if (informManager) {
      await this.workLog.append(m, {
        caseId: c.id,
        kind: 'system',
        public: false,
        actor,
        text: `${c.severity}: customer-service manager informed, expert ${e.name} owns the case`,
      });
    }
    if (AWAITS_OWNER.has(c.status)) return this.transitions.transition(m, c.id, 'assigned', actor, undefined, { cause });
    return c;
  }

  private unprocessable(field: string, reason: string) {
    return new UnprocessableEntityException({ statusCode: 422, message: 'validation failed', errors: [{ field, reason }] });
  }
}
