import { ForbiddenException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { CaseStatus, EventData } from '@aftersales/contracts';
import { Clock, Page, Principal, visibleTo, withIdempotency } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, FindOptionsWhere, In } from 'typeorm';
import { AssignmentService } from '../engineers/assignment.service';
import { CaseTransition } from './case-history.entity';
import { CaseMetrics } from './case-metrics';
import { actingRole, allowedNext, OPEN, ruleFor } from '../domain/case-lifecycle';
import { CaseActor, CaseTransitions, SYSTEM_ACTOR } from './case-transitions.service';
import { Case } from './case.entity';
import { WorkLogEntry } from './work-log.entity';
import { WorkLog } from './work-log.service';
import { Envelope, HandlerContext, Outbox } from '@aftersales/messaging';
import { selectOne } from '@aftersales/persistence';

/** How far past the requested page the case list counts its total exactly. */
export const TOTAL_COUNTED_PAST_PAGE = 1000;

/** A page of cases; `totalExact` false: there are at least `total` (counting stopped there). */
export interface CasePage extends Page<Case> {
  totalExact: boolean;
}

export interface CaseFilter {
  customerId?: string;
  requestId?: string;
  caseNumber?: string;
  status?: CaseStatus;
  severity?: string;
  assignee?: string;
  caseType?: string;
  open?: boolean;
  productLine?: string;
}

type RequestReceived = EventData<'intake.request.received.v1'>;

/** A customer sees the case and its public trail only: internal data of log entries stays with staff. */
const isCustomer = (p: Principal) => p.roles.includes('customer') && !p.roles.some((r) => r !== 'customer');

export const actorOf = (p: Principal): CaseActor => ({ subject: p.subject, role: actingRole(p.roles) });

@Injectable()
export class CasesService {
  constructor(
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly transitions: CaseTransitions,
    private readonly assignment: AssignmentService,
    private readonly workLog: WorkLog,
    private readonly metrics: CaseMetrics,
  ) {}

  /**
   * Opens the case for a request intake recorded and triaged: stored with what intake knew, moved
   * received → triaged, and routed by the assignment policy, all in one transaction. Idempotent:
   * the inbox drops a redelivered event, and request_id is unique besides.
   */
  async openFromRequest(event: Envelope<'intake.request.received.v1'>, ctx: HandlerContext): Promise<void> {
    const { manager: m } = ctx;
    const r = event.data;
    await this.workLog.batched(m, async () => {
      const about = r.serviceMode === 'complaint' ? await this.complainedAbout(m, r) : null;
      const opened = this.newCase(r, await this.nextCaseNumber(m, r), about);
      await m.insert(Case, opened);
      await this.announceOpened(m, opened, event);
      await this.logOpening(m, opened, r, about);
      // intake already triaged it (severity, service mode): the case starts its life there
      const triaged = await this.transitions.transition(
        m,
        opened, // inserted above: no other transaction sees it yet, nothing to lock or read
        'triaged',
        { subject: 'system:intake', role: 'system' },
        `triaged at intake: ${r.severity}, ${r.serviceMode}`,
        { cause: event },
      );
      await this.assignment.autoAssign(m, triaged, event);
    });
    ctx.afterCommit(() => this.metrics.caseOpened(r.severity, r.region));
  }

  /** REGION-YEAR-NNNNNN, from the schema's case number sequence. */
  private async nextCaseNumber(m: EntityManager, r: RequestReceived): Promise<string> {
    const row = await selectOne<{ seq: string }>(m, `SELECT nextval('"${this.outbox.schema}".case_number_seq') AS seq`);
    if (!row) throw new Error('the case number sequence answered no row');
    return `${r.region.toUpperCase()}-${r.receivedAt.slice(0, 4)}-${row.seq.padStart(6, '0')}`;
  }

  private newCase(r: RequestReceived, caseNumber: string, about: Case | null): Case {
    return this.dataSource.manager.create(Case, {
      id: randomUUID(),
      caseNumber,
      requestId: r.requestId,
      region: r.region,
      customerId: r.customerId,
      contact: r.contact,
      severity: r.severity,
      symptom: r.symptom,
      serialNumber: r.serialNumber ?? null,
      status: 'received',
      openedAt: this.clock.now(),
      caseType: r.serviceMode === 'complaint' ? 'complaint' : 'incident',
      assetId: r.assetId ?? null,
      productLine: r.productLine ?? null,
      productModel: r.productModel ?? null,
      errorCodes: r.errorCodes ?? [],
      serviceMode: r.serviceMode,
      warranty: r.warranty,
      contract: r.contract ?? null,
      channel: r.channel,
      relatedCaseId: about?.id ?? null,
      reopenCount: 0,
    });
  }

  private async announceOpened(m: EntityManager, opened: Case, event: Envelope<'intake.request.received.v1'>): Promise<void> {
    const r = event.data;
    await this.outbox.append(m, [
      {
        type: 'case.opened.v1',
        aggregateType: 'case',
        aggregateId: opened.id,
        cause: event,
        data: {
          caseId: opened.id,
          caseNumber: opened.caseNumber,
          requestId: r.requestId,
          region: r.region,
          customerId: r.customerId,
          contact: r.contact,
          severity: r.severity,
          symptom: r.symptom,
          serialNumber: r.serialNumber,
          openedAt: opened.openedAt.toISOString(),
          caseType: opened.caseType,
          assetId: r.assetId,
          productLine: r.productLine,
          productModel: r.productModel,
          serviceMode: r.serviceMode,
          warranty: r.warranty,
          contract: r.contract,
          relatedCaseId: opened.relatedCaseId ?? undefined,
          errorCodes: opened.errorCodes,
          channel: r.channel,
        },
      },
    ]);
  }

  /** The opening entry, and for a complaint a note on the case it is about (or that none was found). */
  private async logOpening(m: EntityManager, opened: Case, r: RequestReceived, about: Case | null): Promise<void> {
    await this.workLog.append(m, {
      caseId: opened.id,
      kind: 'system',
      public: true,
      actor: SYSTEM_ACTOR,
      text: `case opened from a ${r.channel} request: ${r.symptom}`,
      data: { requestId: r.requestId, errorCodes: opened.errorCodes, attachments: r.attachments },
    });
    if (about) {
      await this.workLog.append(m, {
        caseId: about.id,
        kind: 'system',
        public: false,
        actor: SYSTEM_ACTOR,
        text: `complaint ${opened.caseNumber} was filed about this case`,
        data: { complaintCaseId: opened.id },
      });
    } else if (opened.caseType === 'complaint') {
      await this.workLog.append(m, {
        caseId: opened.id,
        kind: 'system',
        public: false,
        actor: SYSTEM_ACTOR,
        text: 'the case complained about was not named or is not a case of this customer',
        data: { complaintAbout: r.complaintAbout ?? null },
      });
    }
  }

  /** The case a complaint is about, only among the same customer's cases (a complaint cannot reach into another's). */
  private async complainedAbout(m: EntityManager, r: RequestReceived): Promise<Case | null> {
    const ref = r.complaintAbout;
    if (ref?.caseId) return m.findOneBy(Case, { id: ref.caseId, customerId: r.customerId });
    if (ref?.caseNumber) return m.findOneBy(Case, { caseNumber: ref.caseNumber, customerId: r.customerId });
    return null;
  }

  async get(id: string, by: Principal, m: EntityManager = this.dataSource.manager): Promise<Case> {
    const found = await m.findOneBy(Case, { id, ...visibleTo(by) });
    if (!found) throw new NotFoundException(`case ${id} not found`);
    return found;
  }

  async getByNumber(caseNumber: string, by: Principal): Promise<Case> {
    const found = await this.dataSource.getRepository(Case).findOneBy({ caseNumber, ...visibleTo(by) });
    if (!found) throw new NotFoundException(`case ${caseNumber} not found`);
    return found;
  }

  /**
   * A page of the cases the caller may see, newest first. The total is exact up to
   * `TOTAL_COUNTED_PAST_PAGE` rows past the page (a short page needs no count at all); beyond
   * that it is the lower bound counted so far and `totalExact` is false, so a large region's
   * list costs a page and a bounded index count rather than counting every case each time.
   */
  async list(by: Principal, filter: CaseFilter, limit: number, offset: number): Promise<CasePage> {
    const where = this.listWhere(by, filter);
    if (!where) return { items: [], total: 0, totalExact: true, limit, offset };
    const repo = this.dataSource.getRepository(Case);
    const items = await repo.find({ where, order: { openedAt: 'DESC', id: 'ASC' }, take: limit, skip: offset });
    if (items.length > 0 && items.length < limit) return { items, total: offset + items.length, totalExact: true, limit, offset };
    const cap = offset + limit + TOTAL_COUNTED_PAST_PAGE;
    const [sql, params] = repo.createQueryBuilder('c').select('1').where(where).limit(cap).getQueryAndParameters();
    const counted = await selectOne<{ n: number }>(this.dataSource, `SELECT count(*)::int AS n FROM (${sql}) page`, params);
    const total = counted?.n ?? 0;
    return { items, total, totalExact: total < cap, limit, offset };
  }

  /** The list's filter within the caller's visibility, or null when it can match nothing. */
  private listWhere(by: Principal, filter: CaseFilter): FindOptionsWhere<Case> | null {
    const where: FindOptionsWhere<Case> = { ...visibleTo(by) };
    if (filter.customerId !== undefined) {
      // a customer filtering on another customer finds nothing, rather than its own cases
      if (where.customerId !== undefined && where.customerId !== filter.customerId) return null;
      where.customerId = filter.customerId;
    }
    if (filter.requestId) where.requestId = filter.requestId;
    if (filter.caseNumber) where.caseNumber = filter.caseNumber;
    if (filter.status) where.status = filter.status;
    if (filter.severity) where.severity = filter.severity as Case['severity'];
    if (filter.caseType) where.caseType = filter.caseType as Case['caseType'];
    if (filter.assignee) {
      const ids = filter.assignee.split(',').map((a) => (a.trim() === 'me' ? by.subject : a.trim()));
      const [first, ...more] = ids;
      where.assigneeId = first !== undefined && more.length === 0 ? first : In(ids);
    }
    if (filter.productLine) where.productLine = filter.productLine;
    if (filter.open && !filter.status) where.status = In([...OPEN]);
    else if (filter.open && filter.status && !OPEN.includes(filter.status)) return null;
    return where;
  }

  /** A person moves the case: visible to them (else 404), then the lifecycle table decides. */
  async transition(id: string, by: Principal, to: CaseStatus, reason?: string): Promise<Case> {
    return this.dataSource.transaction(async (m) => {
      await this.get(id, by, m);
      return this.transitions.transition(m, id, to, actorOf(by), reason);
    });
  }

  /** The moves the caller may make now, for the case view's buttons (the close guard on reports is checked on the move). */
  async allowedTransitions(id: string, by: Principal) {
    const c = await this.get(id, by);
    const role = actingRole(by.roles);
    return {
      status: c.status,
      allowed: allowedNext(c.status, role).map((to) => ({ to, reasonRequired: ruleFor(c.status, to)!.reason === 'required' })),
    };
  }

  async assign(id: string, by: Principal, dto: { engineerId: string; tier?: Case['tier']; reason: string }): Promise<Case> {
    return this.dataSource.transaction(async (m) => {
      await this.get(id, by, m);
      // after the visibility check: a customer learns nothing about cases that are not its own
      if (!by.roles.some((r) => r === 'agent' || r === 'manager' || r === 'admin')) {
        throw new ForbiddenException('assigning cases needs one of the roles: agent, manager, admin');
      }
      const c = await m.findOneOrFail(Case, { where: { id }, lock: { mode: 'pessimistic_write' } });
      return this.assignment.manualAssign(m, c, dto.engineerId, dto.tier ?? undefined, dto.reason, actorOf(by));
    });
  }

  async history(id: string, by: Principal) {
    await this.get(id, by);
    const rows = await this.dataSource.getRepository(CaseTransition).find({ where: { caseId: id }, order: { seq: 'ASC' } });
    const customer = isCustomer(by);
    return {
      items: rows.map((t) => ({
        from: t.from,
        to: t.to,
        at: t.at,
        reason: t.reason,
        actor: customer ? { role: t.actorRole } : { subject: t.actorSubject, role: t.actorRole },
      })),
    };
  }

  /** A retried note with the same Idempotency-Key answers the first entry instead of logging it twice. */
  async addWorkLog(id: string, by: Principal, dto: { kind: 'note' | 'call'; text: string; public?: boolean }, idempotencyKey?: string) {
    const customer = isCustomer(by);
    if (customer && dto.public === false) {
      throw new UnprocessableEntityException({
        statusCode: 422,
        message: 'validation failed',
        errors: [{ field: 'public', reason: 'a customer’s entries are always public' }],
      });
    }
    return this.dataSource.transaction(async (m) =>
      withIdempotency(m, this.outbox.schema, `worklog:${id}:${by.subject}`, idempotencyKey, dto, async () => {
        await this.get(id, by, m);
        const e = await this.workLog.append(m, {
          caseId: id,
          kind: dto.kind,
          public: customer ? true : (dto.public ?? false),
          actor: actorOf(by),
          text: dto.text,
        });
        return { status: 201, body: this.view(e, customer) };
      }),
    );
  }

  async listWorkLog(id: string, by: Principal, limit: number, offset: number) {
    await this.get(id, by);
    const customer = isCustomer(by);
    const page = await this.workLog.list(this.dataSource.manager, id, customer, limit, offset);
    return { ...page, items: page.items.map((e) => this.view(e, customer)) };
  }

  private view(e: WorkLogEntry, customer: boolean) {
    const base = { id: e.id, kind: e.kind, public: e.public, text: e.text, at: e.at, actor: { role: e.actorRole } };
    return customer ? base : { ...base, actor: { subject: e.actorSubject, role: e.actorRole }, data: e.data };
  }
}
