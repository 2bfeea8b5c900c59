import { ForbiddenException, Inject, Injectable, Logger, NotFoundException, Optional, UnprocessableEntityException } from '@nestjs/common';
import { BusinessCalendar } from '@aftersales/calendar';
import type { Channel, EventInput, ServiceMode, Severity, WarrantyStatus } from '@aftersales/contracts';
import { canSee, Clock, FieldError, Page, Principal, SERVICE_SETTINGS, visibleTo, withIdempotency } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, FindOptionsWhere } from 'typeorm';
import { IntakeSettings } from '../intake.config';
import { KnowledgeSuggestion, KnowledgeSuggestions } from '../knowledge/knowledge-suggestions';
import { CallerContext, RegistryLookup } from '../registry/registry-lookup';
import { isChargeable } from '../domain/warranty';
import { CreateRequestDto } from './create-request.dto';
import { ServiceRequest } from './service-request.entity';
import { decide, FaultKind, Impact, suggest, Suggestion, TriageDecision, UnitDelivery } from '../domain/triage';
import { Outbox } from '@aftersales/messaging';
import { selectOne } from '@aftersales/persistence';
import { Customer } from '../registry/registry.entities';

/** What the agent sees after filing: the request, why triage suggested what it did, and a matching open request. */
export type RequestView = Omit<ServiceRequest, 'assetKey'> & {
  triage?: { suggestedSeverity: Severity | null; severityWhy: string | null; suggestedServiceMode: ServiceMode; serviceModeWhy: string };
  duplicateOf?: { requestId: string; caseId?: string; caseNumber?: string };
  /** published knowledge articles matching the symptom and error codes: a known solution, offered at intake */
  suggestedArticles?: KnowledgeSuggestion[];
};

export interface CreateResult {
  status: number;
  body: RequestView;
  replayed: boolean;
}

export interface RequestFilter {
  caseId?: string;
  customerId?: string;
  serialNumber?: string;
  linkedRequestId?: string;
}

const HOUR_MS = 3_600_000;

/** A caller whose customer is known and visible to the one filing. */
type KnownCaller = CallerContext & { customer: Customer };

interface Checked {
  caller: KnownCaller;
  complaint: boolean;
  suggestion: Suggestion;
  decision: TriageDecision;
}

/** The still-open earlier request a repeated report is linked to. */
interface OpenRequest {
  id: string;
  caseId: string | null;
  caseNumber: string | null;
  caseStatus: string | null;
  caseStatusAt: Date | null;
}

/** The knowledge search failed inside the filing transaction (which it aborted). */
class SuggestionsFailed extends Error {}

function unprocessable(errors: FieldError[], message = 'the request cannot be filed'): UnprocessableEntityException {
  return new UnprocessableEntityException({ statusCode: 422, message, errors });
}

@Injectable()
export class RequestsService {
  readonly duplicateWindowHours: number;
  readonly handoffMinutes: number;
  private readonly localDay: BusinessCalendar;
  private readonly log = new Logger('RequestsService');

  constructor(
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly registry: RegistryLookup,
    @Inject(SERVICE_SETTINGS) settings: IntakeSettings,
    @Optional() private readonly knowledge?: KnowledgeSuggestions,
  ) {
    this.duplicateWindowHours = settings.INTAKE_DUPLICATE_WINDOW_HOURS;
    this.handoffMinutes = settings.INTAKE_HANDOFF_MINUTES;
    // warranty ends are local dates: "today" is the desk's local date
    this.localDay = BusinessCalendar.always('intake-day', settings.INTAKE_TIME_ZONE);
  }

  /**
   * Files a request from any channel, in one transaction: the caller resolved and everything
   * that can be refused checked first, then a repeated report of an open problem (same customer
   * and asset within the window) is linked to the open request instead of opening a second case.
   * Replies 201 with the new request, or 200 with `duplicateOf` when linked. A failing knowledge
   * search never blocks filing: the request is filed again without suggestions.
   */
  async create(dto: CreateRequestDto, by: Principal, idempotencyKey?: string): Promise<CreateResult> {
    try {
      return await this.file(dto, by, idempotencyKey, true);
    } catch (e) {
      if (!(e instanceof SuggestionsFailed)) throw e;
      this.log.warn(`knowledge suggestions failed: ${e.message}`);
      return this.file(dto, by, idempotencyKey, false);
    }
  }

  private file(dto: CreateRequestDto, by: Principal, idempotencyKey: string | undefined, withArticles: boolean): Promise<CreateResult> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const checked = await this.check(m, dto, by, now);
      const suggestedArticles = withArticles && !checked.complaint ? await this.articlesFor(m, dto, checked.caller.asset) : [];
      return withIdempotency(m, this.outbox.schema, `requests:${by.subject}`, idempotencyKey, dto, async () => {
        const request = this.build(dto, by, checked, now);
        const answer = { triage: triageView(checked.suggestion), suggestedArticles };
        const open = request.assetKey && !checked.complaint ? await this.openDuplicate(m, request.customerId, request.assetKey, now) : null;
        if (open && !dto.allowDuplicate) return this.linkDuplicate(m, request, open, answer);
        return this.announceReceived(m, request, answer);
      });
    });
  }

  /** The caller and the triage decision, or 403/422 with every problem found. */
  private async check(m: EntityManager, dto: CreateRequestDto, by: Principal, now: Date): Promise<Checked> {
    const caller = await this.resolveCaller(m, dto, by, this.localDay.localDateOf(now));
    const complaint = !!dto.complaintAbout || dto.serviceMode === 'complaint';
    const suggestion = suggest({
      impact: dto.impact,
      faultKind: dto.faultKind,
      warranty: caller.warranty,
      coverage: caller.terms?.coverage,
      doa: dto.doa,
      complaint,
      delivery: dto.unitDelivery,
    });
    const decision = decide(suggestion, dto);
    const errors = [...decision.errors];
    if (dto.allowDuplicate && !dto.duplicateOverrideReason?.trim()) {
      errors.push({ field: 'duplicateOverrideReason', reason: 'a reason is required to file a duplicate of an open request' });
    }
    if (dto.complaintAbout) errors.push(...(await this.complaintProblems(m, dto.complaintAbout, caller.customer.id, by)));
    if (errors.length) throw unprocessable(errors);
    return { caller, complaint, suggestion, decision };
  }

  /** The request row as filed (not yet stored): what the caller said, what the registry knows, what triage decided. */
  private build(dto: CreateRequestDto, by: Principal, { caller, suggestion, decision }: Checked, now: Date): ServiceRequest {
    const asset = caller.asset;
    const serialNumber = dto.serialNumber ?? asset?.serialNumber ?? null;
    const contact = dto.contact
      ? { name: dto.contact.name, phone: dto.contact.phone, email: dto.contact.email }
      : { name: caller.contact?.name ?? '', phone: caller.contact?.phone ?? undefined, email: caller.contact?.email ?? undefined };
    return this.dataSource.manager.create(ServiceRequest, {
      id: randomUUID(),
      region: by.region,
      customerId: caller.customer.id,
      contact: JSON.parse(JSON.stringify(contact)) as ServiceRequest['contact'],
      channel: dto.channel,
      severity: decision.severity,
      symptom: dto.symptom,
      errorCodes: dto.errorCodes ?? [],
      productModel: dto.productModel ?? asset?.model ?? null,
      serialNumber,
      receivedAt: now,
      createdBy: by.subject,
      contactId: caller.contact?.id ?? null,
      siteId: asset?.siteId ?? caller.contact?.siteId ?? null,
      assetId: asset?.id ?? null,
      productLine: asset?.productLine ?? null,
      warranty: caller.warranty,
      chargeable: isChargeable(caller.warranty),
      contract: caller.terms ?? null,
      impact: dto.impact ?? null,
      faultKind: dto.faultKind ?? null,
      doa: dto.doa ?? false,
      ...triageColumns(suggestion, decision),
      complaintAbout: dto.complaintAbout ? { ...dto.complaintAbout } : null,
      attachments: (dto.attachments ?? []).map((a) => ({ ...a })),
      assetKey: asset ? `asset:${asset.id}` : serialNumber ? `serial:${serialNumber}` : null,
      linkedRequestId: null,
      duplicateOverrideReason: dto.allowDuplicate ? (dto.duplicateOverrideReason?.trim() ?? null) : null,
      caseId: null,
      caseNumber: null,
      caseStatus: null,
      caseStatusAt: null,
      handoffDueAt: new Date(now.getTime() + this.handoffMinutes * 60_000),
      handoffOverdueAt: null,
      takenAt: null,
    });
  }

  /** The same problem reported again: the call is logged on the open request, no second case (200). */
  private async linkDuplicate(
    m: EntityManager,
    request: ServiceRequest,
    open: OpenRequest,
    answer: Pick<RequestView, 'triage' | 'suggestedArticles'>,
  ): Promise<{ status: number; body: RequestView }> {
    Object.assign(request, {
      linkedRequestId: open.id,
      caseId: open.caseId,
      caseNumber: open.caseNumber,
      caseStatus: open.caseStatus,
      caseStatusAt: open.caseStatusAt,
      handoffDueAt: null,
      duplicateOverrideReason: null,
    });
    await this.store(m, request, {
      type: 'intake.request.linked.v1',
      data: {
        requestId: request.id,
        linkedRequestId: open.id,
        region: request.region,
        customerId: request.customerId,
        channel: request.channel as Channel,
        symptom: request.symptom,
        receivedAt: request.receivedAt.toISOString(),
      },
    });
    const duplicateOf = {
      requestId: open.id,
      ...(open.caseId ? { caseId: open.caseId } : {}),
      ...(open.caseNumber ? { caseNumber: open.caseNumber } : {}),
    };
    return { status: 200, body: { ...view(request), ...answer, duplicateOf } };
  }

  /** A new request, announced for the case service to open its case (201). */
  private async announceReceived(
    m: EntityManager,
    request: ServiceRequest,
    answer: Pick<RequestView, 'triage' | 'suggestedArticles'>,
  ): Promise<{ status: number; body: RequestView }> {
    await this.store(m, request, {
      type: 'intake.request.received.v1',
      data: {
        requestId: request.id,
        region: request.region,
        customerId: request.customerId,
        contact: request.contact,
        channel: request.channel as Channel,
        severity: request.severity as Severity,
        symptom: request.symptom,
        errorCodes: request.errorCodes,
        productModel: request.productModel ?? undefined,
        productLine: request.productLine ?? undefined,
        serialNumber: request.serialNumber ?? undefined,
        receivedAt: request.receivedAt.toISOString(),
        siteId: request.siteId ?? undefined,
        contactId: request.contactId ?? undefined,
        assetId: request.assetId ?? undefined,
        serviceMode: request.serviceMode as ServiceMode,
        warranty: request.warranty as WarrantyStatus,
        contract: request.contract ?? undefined,
        complaintAbout: request.complaintAbout ?? undefined,
        attachments: request.attachments,
      },
    });
    return { status: 201, body: { ...view(request), ...answer } };
  }

  /** The request row and the event announcing it, in the filing transaction. */
  private async store<T extends 'intake.request.received.v1' | 'intake.request.linked.v1'>(
    m: EntityManager,
    request: ServiceRequest,
    event: { type: T; data: EventInput<T> },
  ): Promise<void> {
    await m.insert(ServiceRequest, request);
    await this.outbox.append(m, [{ ...event, aggregateType: 'service-request', aggregateId: request.id }]);
  }

  /** What `create` would suggest for this caller and symptom form, without filing anything. */
  async preview(
    q: {
      customerId?: string;
      serialNumber?: string;
      impact?: Impact;
      faultKind?: FaultKind;
      doa?: boolean;
      unitDelivery?: UnitDelivery;
      complaint?: boolean;
    },
    by: Principal,
  ) {
    const customerId = visibleTo(by).customerId ?? q.customerId;
    const caller = customerId
      ? await this.registry.resolve({ customerId, serialNumber: q.serialNumber, today: this.localDay.localDateOf(this.clock.now()) })
      : null;
    const warranty: WarrantyStatus = caller?.warranty ?? 'unknown';
    const s = suggest({
      impact: q.impact,
      faultKind: q.faultKind,
      warranty,
      coverage: caller?.terms?.coverage,
      doa: q.doa,
      complaint: q.complaint,
      delivery: q.unitDelivery,
    });
    return {
      suggestedSeverity: s.severity,
      severityWhy: s.severityWhy,
      suggestedServiceMode: s.serviceMode,
      serviceModeWhy: s.serviceModeWhy,
      warranty,
      coverage: caller?.terms?.coverage ?? null,
    };
  }

  async get(id: string, by: Principal): Promise<ServiceRequest> {
    const found = await this.dataSource.getRepository(ServiceRequest).findOneBy({ id, ...visibleTo(by) });
    // 404 for someone else's request too: a customer must not learn that it exists
    if (!found) throw new NotFoundException(`request ${id} not found`);
    return found;
  }

  async list(by: Principal, limit: number, offset: number, filter: RequestFilter = {}): Promise<Page<ServiceRequest>> {
    const where: FindOptionsWhere<ServiceRequest> = {
      ...(filter.caseId ? { caseId: filter.caseId } : {}),
      ...(filter.customerId ? { customerId: filter.customerId } : {}),
      ...(filter.serialNumber ? { serialNumber: filter.serialNumber } : {}),
      ...(filter.linkedRequestId ? { linkedRequestId: filter.linkedRequestId } : {}),
      ...visibleTo(by), // last: a customer's own scope wins over any customerId filter
    };
    const [items, total] = await this.dataSource
      .getRepository(ServiceRequest)
      .findAndCount({ where, order: { receivedAt: 'DESC', id: 'ASC' }, take: limit, skip: offset });
    return { items, total, limit, offset };
  }

  /**
   * The still-open earlier request for this customer and asset within the window. The advisory
   * lock (released at commit) serializes identical calls, so two at once make one case.
   */
  private async openDuplicate(m: EntityManager, customerId: string, assetKey: string, now: Date): Promise<OpenRequest | null> {
    const s = this.outbox.schema;
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`${s}:request:${customerId}:${assetKey}`]);
    const open = await selectOne<OpenRequest>(
      m,
      `SELECT id, case_id AS "caseId", case_number AS "caseNumber", case_status AS "caseStatus", case_status_at AS "caseStatusAt"
           FROM "${s}".service_requests
          WHERE customer_id = $1 AND asset_key = $2 AND linked_request_id IS NULL
            AND service_mode <> 'complaint' AND received_at >= $3 AND received_at <= $4
            AND case_status IS DISTINCT FROM 'closed'
          ORDER BY received_at DESC, id
          LIMIT 1`,
      [customerId, assetKey, new Date(now.getTime() - this.duplicateWindowHours * HOUR_MS), now],
    );
    return open ?? null;
  }

  /**
   * A complaint names a case of the same customer that the caller may see (known here from the
   * case projection on its request); another customer's, a made-up or unknown one is refused
   * rather than filed unlinked, and the answer does not tell which.
   */
  private async complaintProblems(
    m: EntityManager,
    about: { caseId?: string; caseNumber?: string },
    customerId: string,
    by: Principal,
  ): Promise<FieldError[]> {
    const scope = visibleTo(by);
    const found = await selectOne<{ found: number }>(
      m,
      `SELECT 1 AS found FROM "${this.outbox.schema}".service_requests
        WHERE customer_id = $1 AND case_id IS NOT NULL AND ($4::text IS NULL OR region = $4)
          AND ($2::uuid IS NULL OR case_id = $2) AND ($3::text IS NULL OR case_number = $3)
        LIMIT 1`,
      [customerId, about.caseId ?? null, about.caseNumber ?? null, scope.region ?? null],
    );
    if (found) return [];
    const field = about.caseId ? 'complaintAbout.caseId' : 'complaintAbout.caseNumber';
    return [{ field, reason: `no case of customer ${customerId} with this ${about.caseId ? 'id' : 'number'}` }];
  }

  /**
   * Known solutions for what the caller reports, read in the filing transaction. A failed search
   * has aborted that transaction, so it surfaces as `SuggestionsFailed` for `create` to file again
   * without suggestions.
   */
  private async articlesFor(m: EntityManager, dto: CreateRequestDto, asset: CallerContext['asset']): Promise<KnowledgeSuggestion[]> {
    if (!this.knowledge) return [];
    try {
      return await this.knowledge.suggest(
        {
          symptom: dto.symptom,
          errorCodes: dto.errorCodes,
          productLine: asset?.productLine,
          productModel: dto.productModel ?? asset?.model,
        },
        3,
        m,
      );
    } catch (e) {
      throw new SuggestionsFailed(e instanceof Error ? e.message : String(e));
    }
  }

  /**
   * Who is calling about what. Staff name a registered customer, or a contact / caller number
   * that resolves to one; a customer token files only for itself. A serial of another customer
   * is treated like an unknown one, so it reveals nothing.
   */
  private async resolveCaller(m: EntityManager, dto: CreateRequestDto, by: Principal, today: string): Promise<KnownCaller> {
    const registry = this.registry.within(m);
    const own = visibleTo(by).customerId;
    if (own && dto.customerId && dto.customerId !== own) throw new ForbiddenException('a customer files requests only for itself');
    let customerId = own ?? dto.customerId;
    let contactId = dto.contactId;
    if (!contactId && dto.contact) {
      const byNumber = dto.contact.phone ? await registry.contactsByPhone(dto.contact.phone) : [];
      const byMail = !byNumber.length && dto.contact.email ? await registry.contactsByEmail(dto.contact.email) : [];
      const matches = (byNumber.length ? byNumber : byMail).filter((c) => !customerId || c.customerId === customerId);
      const customers = [...new Set(matches.map((c) => c.customerId))];
      if (!customerId && customers.length > 1) {
        throw unprocessable([{ field: 'customerId', reason: 'the caller is a contact of several customers: give customerId' }]);
      }
      customerId ??= customers[0];
      const mine = matches.length || !customerId ? matches : await registry.contactsNamed(customerId, dto.contact.name);
      const named = mine.find((c) => sameName(c.name, dto.contact!.name));
      contactId = (named ?? (mine.length === 1 ? mine[0] : undefined))?.id;
    }
    if (!customerId && !contactId) {
      throw unprocessable([{ field: 'customerId', reason: 'customerId is required: the caller is not a registered contact' }]);
    }
    const caller = await registry.resolve({ customerId, contactId, serialNumber: dto.serialNumber, today });
    if (dto.contactId && !caller.contact) throw unprocessable([{ field: 'contactId', reason: 'unknown contact' }]);
    // a customer of another region is unknown here, as an unknown one
    const { customer } = caller;
    if (!customer || !canSee(by, customer)) throw unprocessable([{ field: 'customerId', reason: 'unknown customer' }]);
    return { ...caller, customer };
  }
}

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** What triage suggested and what was decided, with the reasons, as stored on the request. */
function triageColumns(s: Suggestion, d: TriageDecision) {
  return {
    serviceMode: d.serviceMode,
    suggestedSeverity: s.severity,
    severityReason: d.severityReason,
    suggestedServiceMode: s.serviceMode,
    serviceModeReason: d.serviceModeReason,
  };
}

function triageView(s: Suggestion): NonNullable<RequestView['triage']> {
  return {
    suggestedSeverity: s.severity,
    severityWhy: s.severityWhy,
    suggestedServiceMode: s.serviceMode,
    serviceModeWhy: s.serviceModeWhy,
  };
}

function view(r: ServiceRequest): RequestView {
  const { assetKey: _, ...rest } = r;
  return rest;
}
