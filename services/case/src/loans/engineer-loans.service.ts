import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Envelope, HandlerContext, Outbox, OutboxEvent } from '@aftersales/messaging';
import { ServiceConfig } from '@aftersales/config';
import { InterregionMetrics, PlatformMetrics } from '@aftersales/observability';
import { canSee, Clock, Principal, problemException, SERVICE_CONFIG, visibleTo } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CaseActor } from '../cases/case-transitions.service';
import { Case } from '../cases/case.entity';
import { WorkLog } from '../cases/work-log.service';
import { AssignmentService } from '../engineers/assignment.service';
import { Engineer } from '../engineers/engineer.entity';
import { EngineerLoan, LOAN_NEXT } from './engineer-loan';
import { EngineerLoanRepository } from './engineer-loan.repository';
import { AnswerLoanDto, AskLoanDto, DeclineLoanDto, LoanWorkDto } from './engineer-loans.dto';

interface LenderStep {
  patch: Parameters<EngineerLoanRepository['update']>[2];
  event: OutboxEvent;
  outcome: 'approved' | 'declined' | 'worked' | 'completed';
}

type LoanEvent = 'case.loan.requested.v1' | 'case.loan.answered.v1' | 'case.loan.worked.v1';

/** Metrics of engineers lent across regions (both regions count each step). */
@Injectable()
export class LoanMetrics extends InterregionMetrics {
  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig, metrics: PlatformMetrics) {
    super(metrics.registry, config.region, config.interregionPeers, 'engineer');
  }
}

const actorOf = (p: Principal): CaseActor => {
  const role = (['admin', 'manager', 'agent', 'engineer'] as const).find((r) => p.roles.includes(r)) ?? p.roles[0];
  if (role === undefined) throw new ForbiddenException({ statusCode: 403, message: `${p.subject} has no role` });
  return { subject: p.subject, role };
};

/**
 * Engineers lent between regions that run their own deployments (domain §2: "a region may ask
 * another region's experts for help"; architecture §9). The asking region sends the request over
 * the interregion topic; the lending region's manager names an engineer or declines; the loaned
 * engineer then owns the case in the asking region and records their work where they are, which
 * travels back into the case's work log. Each step commits with its event (outbox) and each
 * received event is applied once (inbox).
 */
@Injectable()
export class EngineerLoansService {
  constructor(
    private readonly ds: DataSource,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly loans: EngineerLoanRepository,
    private readonly workLog: WorkLog,
    private readonly assignment: AssignmentService,
    private readonly metrics: LoanMetrics,
  ) {}

  // ---- the asking region ---------------------------------------------------------------------

  ask(d: AskLoanDto, by: Principal) {
    return this.tx(async (m, afterCommit) => {
      const c = await m.findOneBy(Case, { id: d.caseId });
      if (!c || !canSee(by, c)) throw problemException(422, [{ field: 'caseId', reason: `case ${d.caseId} does not exist` }]);
      if (d.toRegion === c.region) throw problemException(422, [{ field: 'toRegion', reason: `the case is in ${c.region} already` }]);
      if (c.status === 'closed') throw problemException(422, [{ field: 'caseId', reason: 'the case is closed' }]);
      const now = this.clock.now();
      const loan: EngineerLoan = {
        id: randomUUID(),
        side: 'asking',
        fromRegion: c.region,
        toRegion: d.toRegion,
        caseId: c.id,
        caseNumber: c.caseNumber,
        severity: c.severity,
        summary: d.summary,
        skills: d.skills ?? (c.productLine ? [c.productLine] : []),
        state: 'requested',
        engineerId: null,
        engineerName: null,
        reason: null,
        requestedBy: by.subject,
        decidedBy: null,
        workedMinutes: 0,
        createdAt: now,
        updatedAt: now,
      };
      await this.loans.insert(m, loan);
      await this.outbox.append(m, [
        this.event('case.loan.requested.v1', loan, {
          ...ref(loan),
          severity: loan.severity,
          summary: loan.summary,
          skills: loan.skills,
          actor: actorOf(by),
          at: now.toISOString(),
        }),
      ]);
      await this.workLog.append(m, {
        caseId: c.id,
        kind: 'system',
        public: false,
        actor: actorOf(by),
        text: `asked region ${d.toRegion} to lend an engineer: ${d.summary}`,
        data: { loanId: loan.id },
      });
      afterCommit(() => this.metrics.count(loan.fromRegion, loan.toRegion, 'requested'));
      return loan;
    });
  }

  /** The lending region named an engineer (who now owns the case here) or declined. */
  async onAnswered(e: Envelope<'case.loan.answered.v1'>, tx: HandlerContext): Promise<void> {
    const m = tx.manager;
    const d = e.data;
    const loan = await this.loans.get(m, d.askId, 'asking', true);
    if (!loan || loan.state !== 'requested') return;
    const now = this.clock.now();
    const lender: CaseActor = { subject: `${d.toRegion}:${d.actor.subject}`, role: d.actor.role };
    await this.loans.update(m, loan, {
      state: d.outcome,
      engineerId: d.engineerId,
      engineerName: d.engineerName,
      reason: d.reason,
      decidedBy: lender.subject,
      updatedAt: now,
    });
    tx.afterCommit(() => this.metrics.count(loan.fromRegion, loan.toRegion, d.outcome));
    const c = await m.findOneBy(Case, { id: loan.caseId });
    if (!c) return;
    if (d.outcome === 'declined') {
      await this.workLog.append(m, {
        caseId: c.id,
        kind: 'system',
        public: false,
        actor: lender,
        text: `region ${d.toRegion} declined to lend an engineer: ${d.reason ?? 'no reason given'}`,
        data: { loanId: loan.id },
      });
      return;
    }
    const engineer = { id: loanedId(d.toRegion, d.engineerId!), name: `${d.engineerName ?? d.engineerId} (${d.toRegion})` };
    await this.assignment.assignLoaned(m, c, engineer, `lent by region ${d.toRegion}${d.reason ? `: ${d.reason}` : ''}`, lender, {
      id: e.id,
      correlationId: e.correlationId,
    });
  }

  /** The loaned engineer's work, recorded in their region, joins the case's work log here. */
  async onWorked(e: Envelope<'case.loan.worked.v1'>, tx: HandlerContext): Promise<void> {
    const m = tx.manager;
    const d = e.data;
    const loan = await this.loans.get(m, d.askId, 'asking', true);
    if (!loan || loan.state !== 'approved') return;
    await this.loans.update(m, loan, { addMinutes: d.minutes ?? 0, state: d.done ? 'completed' : undefined, updatedAt: this.clock.now() });
    await this.workLog.append(m, {
      caseId: loan.caseId,
      kind: 'note',
      public: false,
      actor: { subject: loanedId(d.toRegion, d.engineerId), role: 'engineer' },
      text: `${d.engineerName} (${d.toRegion}, on loan)${d.minutes ? `, ${d.minutes} min` : ''}: ${d.text}`,
      data: { loanId: loan.id, minutes: d.minutes ?? 0, done: d.done },
    });
    tx.afterCommit(() => this.metrics.count(loan.fromRegion, loan.toRegion, d.done ? 'completed' : 'worked'));
  }

  // ---- the lending region --------------------------------------------------------------------

  async onRequested(e: Envelope<'case.loan.requested.v1'>, tx: HandlerContext): Promise<void> {
    const m = tx.manager;
    const d = e.data;
    const at = new Date(d.at);
    const inserted = await this.loans.insert(m, {
      ...{ id: d.askId, side: 'lending', fromRegion: d.fromRegion, toRegion: d.toRegion, caseId: d.caseId },
      ...{ caseNumber: d.caseNumber ?? null, severity: d.severity, summary: d.summary, skills: d.skills, state: 'requested' },
      ...{ engineerId: null, engineerName: null, reason: null, requestedBy: `${d.fromRegion}:${d.actor.subject}`, decidedBy: null },
      ...{ workedMinutes: 0, createdAt: at, updatedAt: this.clock.now() },
    });
    if (inserted) tx.afterCommit(() => this.metrics.count(d.fromRegion, d.toRegion, 'requested'));
  }

  approve(id: string, d: AnswerLoanDto, by: Principal) {
    return this.lenderMove(id, 'approve', by, async (m, loan, now) => {
      const e = await m.findOneBy(Engineer, { id: d.engineerId });
      if (!e || e.region !== loan.toRegion) {
        throw problemException(422, [{ field: 'engineerId', reason: `no engineer ${d.engineerId} in region ${loan.toRegion}` }]);
      }
      if (!e.active) throw problemException(422, [{ field: 'engineerId', reason: `engineer ${d.engineerId} is not active` }]);
      const patch = {
        state: 'approved' as const,
        engineerId: e.id,
        engineerName: e.name,
        reason: d.reason,
        decidedBy: by.subject,
        updatedAt: now,
      };
      const data = {
        ...ref(loan),
        outcome: 'approved' as const,
        engineerId: e.id,
        engineerName: e.name,
        ...(d.reason ? { reason: d.reason } : {}),
      };
      return {
        patch,
        event: this.event('case.loan.answered.v1', loan, { ...data, actor: actorOf(by), at: now.toISOString() }),
        outcome: 'approved',
      };
    });
  }

  decline(id: string, d: DeclineLoanDto, by: Principal) {
    return this.lenderMove(id, 'decline', by, (_m, loan, now) => ({
      patch: { state: 'declined' as const, reason: d.reason, decidedBy: by.subject, updatedAt: now },
      event: this.event('case.loan.answered.v1', loan, {
        ...ref(loan),
        outcome: 'declined',
        reason: d.reason,
        actor: actorOf(by),
        at: now.toISOString(),
      }),
      outcome: 'declined',
    }));
  }

  /** The loaned engineer (or their manager) records work on the asking region's case; `done` ends the loan. */
  work(id: string, d: LoanWorkDto, by: Principal) {
    return this.lenderMove(id, 'work', by, (_m, loan, now) => ({
      patch: { state: d.done ? ('completed' as const) : undefined, addMinutes: d.minutes ?? 0, updatedAt: now },
      event: this.event('case.loan.worked.v1', loan, {
        ...ref(loan),
        engineerId: loan.engineerId!,
        engineerName: loan.engineerName!,
        text: d.text,
        ...(d.minutes !== undefined ? { minutes: d.minutes } : {}),
        done: d.done ?? false,
        actor: actorOf(by),
        at: now.toISOString(),
      }),
      outcome: d.done ? 'completed' : 'worked',
    }));
  }

  async get(id: string, by: Principal): Promise<EngineerLoan> {
    const m = this.ds.manager;
    const region = visibleTo(by).region;
    const lending = await this.loans.get(m, id, 'lending');
    const asking = await this.loans.get(m, id, 'asking');
    // one deployment may hold both sides: each region sees its own
    const l = lending && lending.toRegion === region ? lending : (asking ?? lending);
    if (!l || (region !== undefined && l.fromRegion !== region && l.toRegion !== region)) throw this.notFound(id);
    return l;
  }

  async list(by: Principal, limit: number, offset: number) {
    return { ...(await this.loans.list(this.ds.manager, by, limit, offset)), limit, offset };
  }

  private lenderMove(
    id: string,
    action: 'approve' | 'decline' | 'work',
    by: Principal,
    apply: (m: EntityManager, loan: EngineerLoan, now: Date) => LenderStep | Promise<LenderStep>,
  ) {
    return this.tx(async (m, afterCommit) => {
      const loan = await this.loans.get(m, id, 'lending', true);
      const region = visibleTo(by).region;
      if (!loan || (region !== undefined && region !== loan.toRegion)) throw this.notFound(id);
      const isManager = by.roles.includes('admin') || by.roles.includes('manager');
      const isLoaned = action === 'work' && by.subject === loan.engineerId;
      if (!isManager && !isLoaned) {
        throw new ForbiddenException({
          statusCode: 403,
          message: `only a manager of region ${loan.toRegion}${action === 'work' ? ' or the loaned engineer' : ''} may ${action}`,
          errors: [{ field: '(role)', reason: 'not the lending region’s manager' }],
        });
      }
      if (!LOAN_NEXT[loan.state].includes(action)) {
        throw new ConflictException({
          statusCode: 409,
          message: `a ${loan.state} loan cannot ${action}`,
          errors: [{ field: 'state', reason: loan.state }],
          allowed: LOAN_NEXT[loan.state],
        });
      }
      const now = this.clock.now();
      const { patch, event, outcome } = await apply(m, loan, now);
      await this.loans.update(m, loan, patch);
      await this.outbox.append(m, [event]);
      afterCommit(() => this.metrics.count(loan.fromRegion, loan.toRegion, outcome));
      return (await this.loans.get(m, id, 'lending'))!;
    });
  }

  private notFound(id: string) {
    return new NotFoundException({ statusCode: 404, message: `engineer loan ${id} not found` });
  }

  private event<T extends LoanEvent>(type: T, loan: EngineerLoan, data: OutboxEvent<T>['data']): OutboxEvent<T> {
    return { type, aggregateType: 'engineer-loan', aggregateId: loan.id, data };
  }

  private async tx<T>(work: (m: EntityManager, afterCommit: (fn: () => void) => void) => Promise<T>): Promise<T> {
    const after: Array<() => void> = [];
    const result = await this.ds.transaction((m) => work(m, (fn) => void after.push(fn)));
    for (const fn of after) fn();
    return result;
  }
}

/** The id the asking region knows a loaned engineer by: ids are only unique within a region. */
const loanedId = (region: string, engineerId: string) => `${region}:${engineerId}`;

const ref = (l: EngineerLoan) => ({
  askId: l.id,
  fromRegion: l.fromRegion,
  toRegion: l.toRegion,
  caseId: l.caseId,
  ...(l.caseNumber ? { caseNumber: l.caseNumber } : {}),
});
