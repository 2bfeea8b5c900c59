import { Inject, Injectable } from '@nestjs/common';
import { Outbox, OutboxEvent } from '@aftersales/messaging';
import { Clock, Principal, problemException, SERVICE_SETTINGS } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CaseDemandRepository } from '../cases/case-demand.repository';
import { CatalogRepository } from '../catalog/catalog.repository';
import { Part } from '../catalog/part';
import { Depot } from '../depots/depot';
import { DepotRepository } from '../depots/depot.repository';
import { StockLedger } from '../depots/stock-ledger';
import {
  allowedActions,
  checkMove,
  lateMinutes,
  neededBy,
  partNeededBy,
  REQUEST_MACHINE,
  RequestAction,
  RequestState,
  returnDueAt,
  SHIPPED_OR_LATER,
  withinDoaWindow,
} from '../domain';
import { PartAskRepository } from '../interregion/part-ask.repository';
import { PartAskRelay } from '../interregion/part-ask-relay';
import { PartReturn } from '../returns/part-return';
import { ReturnRepository } from '../returns/return.repository';
import { conflictOn, illegalMove, notFound, unknownRef } from '../shared/problems';
import { Actor, actorOf, canSee, requireManagerOf } from '../shared/scope';
import { SparesMetrics } from '../shared/spares-metrics';
import { AfterCommit, Transactions } from '../shared/tx';
import { SparesSettings } from '../spares.config';
import { PartRequest } from './part-request';
import { requestEvent, requestRef } from './part-request-events';
import { PartRequestRepository, RequestFilter } from './part-request.repository';
import { CreatePartRequestDto, ShipDto } from './part-requests.dto';
import { Reserver } from './reserver';

/** A request as the API shows it: with the actions allowed next. */
export const view = (r: PartRequest) => ({ ...r, allowed: allowedActions(REQUEST_MACHINE, r.state) });

/** What a move writes: the request's patch, its events, and data for the history row. */
interface MoveOutcome {
  patch: Partial<PartRequest>;
  events: (r: PartRequest) => OutboxEvent[] | Promise<OutboxEvent[]>;
  data?: Record<string, unknown>;
}

interface Ctx {
  m: EntityManager;
  req: PartRequest;
  part: Part;
  depot: Depot;
  to: RequestState;
  now: Date;
  actor: Actor;
  afterCommit: AfterCommit;
}

/**
 * Part requests of cases (domain §7): reserve at the best depot, approve cross-region transfers,
 * then pick → ship → deliver → install, each move under the request's row lock with its history
 * row and its event (keyed by the case id) in one transaction. An illegal move is 409 with the
 * actions allowed instead, and writes nothing.
 */
@Injectable()
export class PartRequestsService {
  constructor(
    private readonly tx: Transactions,
    private readonly outbox: Outbox,
    @Inject(SERVICE_SETTINGS) private readonly settings: SparesSettings,
    private readonly requests: PartRequestRepository,
    private readonly returns: ReturnRepository,
    private readonly parts: CatalogRepository,
    private readonly depots: DepotRepository,
    private readonly cases: CaseDemandRepository,
    private readonly reserver: Reserver,
    private readonly ledger: StockLedger,
    private readonly metrics: SparesMetrics,
    private readonly clock: Clock,
    private readonly askRelay: PartAskRelay,
    private readonly asks: PartAskRepository,
  ) {}

  create(d: CreatePartRequestDto, by: Principal, key?: string) {
    return this.tx.once(`part-request:${by.subject}`, key, d, async (m, afterCommit) => {
      const part = await this.parts.get(m, d.partNumber);
      if (!part) throw unknownRef('partNumber', 'part', d.partNumber);
      const { region, customerId, severity, caseId } = await this.caseOf(m, d, by);
      const now = this.clock.now();
      const due = partNeededBy({
        severity,
        requestedAt: now,
        hours: this.settings.SPARES_NEEDED_BY_HOURS,
        given: d.neededBy ? new Date(d.neededBy) : undefined,
        policy: caseId ? await this.cases.policyDeadline(m, caseId) : null,
      });
      if (due.getTime() <= now.getTime()) throw problemException(422, [{ field: 'neededBy', reason: 'must be in the future' }]);
      const r = await this.reserveNew(m, by, afterCommit, {
        part,
        quantity: d.quantity,
        region,
        customerId,
        severity,
        caseId,
        siteId: d.siteId ?? null,
        neededBy: due,
        depotId: d.depotId,
        exchangeOf: null,
      });
      return { status: 201, body: view(r) };
    });
  }

  /** Holds the stock and records the request (reserved, or awaiting the other region's approval) with its event. */
  async reserveNew(
    m: EntityManager,
    by: Principal,
    afterCommit: AfterCommit,
    n: Pick<PartRequest, 'quantity' | 'region' | 'customerId' | 'severity' | 'caseId' | 'siteId' | 'neededBy' | 'exchangeOf'> & {
      part: Part;
      depotId?: string;
    },
  ): Promise<PartRequest> {
    const now = this.clock.now();
    const actor = actorOf(by);
    let r!: PartRequest;
    const { crossRegion } = await this.reserver.reserve(
      m,
      n.part,
      n.quantity,
      n.region,
      n.depotId,
      afterCommit,
      async ({ depot, crossRegion }) => {
        r = this.newRequest(n, depot, crossRegion, by, now);
        await this.requests.insert(m, r);
        await this.requests.addMove(m, r.id, { action: 'request', from: null, to: r.state, actor, at: now, data: { crossRegion } });
        const data = { ...requestRef(r, n.part), neededBy: r.neededBy.toISOString(), actor, at: now.toISOString() };
        await this.outbox.append(m, [
          crossRegion
            ? requestEvent('spares.transfer.requested.v1', r, data)
            : requestEvent('spares.part.reserved.v1', r, { ...data, crossRegion: false }),
        ]);
      },
    );
    afterCommit(() => this.metrics.reservation(labels(r, n.part), crossRegion ? 'awaiting-approval' : 'reserved'));
    return r;
  }

  private newRequest(
    n: Pick<PartRequest, 'quantity' | 'region' | 'customerId' | 'severity' | 'caseId' | 'siteId' | 'neededBy' | 'exchangeOf'> & {
      part: Part;
    },
    depot: Depot,
    crossRegion: boolean,
    by: Principal,
    now: Date,
  ): PartRequest {
    return {
      id: randomUUID(),
      caseId: n.caseId,
      region: n.region,
      customerId: n.customerId,
      severity: n.severity,
      partNumber: n.part.partNumber,
      quantity: n.quantity,
      siteId: n.siteId,
      neededBy: n.neededBy,
      state: crossRegion ? 'awaiting-approval' : 'reserved',
      depotId: depot.id,
      depotRegion: depot.region,
      crossRegion,
      exchangeOf: n.exchangeOf,
      requestedBy: by.subject,
      decidedBy: null,
      decisionReason: null,
      carrier: null,
      trackingNumber: null,
      courier: null,
      late: false,
      requestedAt: now,
      reservedAt: crossRegion ? null : now,
      pickedAt: null,
      shippedAt: null,
      deliveredAt: null,
      installedAt: null,
      closedAt: null,
      updatedAt: now,
    };
  }

  private async caseOf(m: EntityManager, d: CreatePartRequestDto, by: Principal) {
    if (!d.caseId) return { region: by.region, customerId: d.customerId ?? null, severity: d.severity ?? 'P3', caseId: null };
    const c = await this.cases.get(m, d.caseId);
    // another region's case is as unknown as a missing one
    if (!c || !canSee(by, c)) throw unknownRef('caseId', 'case', d.caseId);
    return { region: c.region, customerId: c.customerId, severity: d.severity ?? c.severity, caseId: c.caseId };
  }

  async get(id: string, by: Principal) {
    const r = await this.requests.get(this.tx.reads, id);
    if (!r || !canSee(by, r)) throw notFound('part request', id);
    return view(r);
  }

  async history(id: string, by: Principal) {
    await this.get(id, by);
    return this.requests.moves(this.tx.reads, id);
  }

  async list(by: Principal, f: RequestFilter, limit: number, offset: number) {
    const page = await this.requests.list(this.tx.reads, by, f, limit, offset);
    return { items: page.items.map(view), total: page.total, limit, offset };
  }

  // ---- moves ---------------------------------------------------------------------------------

  approve(id: string, by: Principal, reason?: string) {
    return this.move(id, 'approve', by, (c) => {
      requireManagerOf(by, c.req.depotRegion, 'approve a transfer from its depot');
      const at = c.now.toISOString();
      c.afterCommit(() => this.metrics.reservation(labels(c.req, c.part), 'approved'));
      return {
        patch: { decidedBy: by.subject, decisionReason: reason ?? null, reservedAt: c.now },
        events: (r) => [
          requestEvent('spares.part.reserved.v1', r, {
            ...requestRef(r, c.part),
            neededBy: r.neededBy.toISOString(),
            crossRegion: true,
            actor: c.actor,
            at,
          }),
        ],
      };
    });
  }

  reject(id: string, by: Principal, reason: string) {
    return this.move(id, 'reject', by, async (c) => {
      requireManagerOf(by, c.req.depotRegion, 'reject a transfer from its depot');
      await this.release(c);
      c.afterCommit(() => this.metrics.reservation(labels(c.req, c.part), 'rejected'));
      return {
        patch: { decidedBy: by.subject, decisionReason: reason, closedAt: c.now },
        events: async (r) => [
          requestEvent('spares.transfer.rejected.v1', r, { ...requestRef(r, c.part), reason, actor: c.actor, at: c.now.toISOString() }),
          await this.released(c.m, r, c, `transfer rejected: ${reason}`),
        ],
      };
    });
  }

  cancel(id: string, by: Principal, reason: string) {
    return this.move(id, 'cancel', by, async (c) => {
      await this.release(c);
      return {
        patch: { decisionReason: reason, closedAt: c.now },
        events: async (r) => [await this.released(c.m, r, c, reason)],
      };
    });
  }

  pick(id: string, by: Principal) {
    return this.move(id, 'pick', by, (c) => ({
      patch: { pickedAt: c.now },
      events: (r) => [requestEvent('spares.part.picked.v1', r, this.step(r, c))],
    }));
  }

  ship(id: string, d: ShipDto, by: Principal) {
    return this.move(id, 'ship', by, async (c) => {
      if (d.quantity !== undefined && d.quantity > c.req.quantity) {
        throw conflictOn('quantity', `ships ${d.quantity} but ${c.req.quantity} are reserved`, { allowed: ['ship', 'cancel'] });
      }
      if (d.quantity !== undefined && d.quantity < c.req.quantity) {
        throw problemException(422, [
          { field: 'quantity', reason: `ship the whole reservation (${c.req.quantity}) or cancel and request again` },
        ]);
      }
      const moved = await this.ledger.apply(c.m, c.depot, c.part, 'ship', c.req.quantity, c.afterCommit);
      if (!moved)
        throw conflictOn('quantity', `depot ${c.depot.id} does not hold ${c.req.quantity} reserved units of ${c.part.partNumber}`);
      const how = d.courier ? { courier: d.courier } : { carrier: d.carrier!, trackingNumber: d.trackingNumber! };
      return {
        patch: {
          shippedAt: c.now,
          carrier: d.courier ? null : d.carrier!,
          trackingNumber: d.courier ? null : d.trackingNumber!,
          courier: d.courier ?? null,
        },
        events: (r) => [requestEvent('spares.part.shipped.v1', r, { ...this.step(r, c), ...how })],
        data: how,
      };
    });
  }

  deliver(id: string, by: Principal) {
    return this.move(id, 'deliver', by, (c) => {
      const late = lateMinutes(c.req.neededBy, c.now);
      c.afterCommit(() => this.metrics.delivered(labels(c.req, c.part), late > 0));
      return {
        patch: { deliveredAt: c.now, late: late > 0 },
        events: async (r) => {
          const out: OutboxEvent[] = [
            requestEvent('spares.part.delivered.v1', r, {
              ...this.step(r, c),
              late: late > 0,
              outstandingForCase: await this.outstandingForCase(c.m, r.caseId),
            }),
          ];
          if (late > 0) {
            out.push(
              requestEvent('spares.delivery.late.v1', r, {
                ...requestRef(r, c.part),
                neededBy: r.neededBy.toISOString(),
                deliveredAt: c.now.toISOString(),
                lateMinutes: late,
              }),
            );
          }
          return out;
        },
        data: late > 0 ? { lateMinutes: late } : undefined,
      };
    });
  }

  /** Installed: a part that must come back makes its faulty predecessor owed to the depot within N days. */
  install(id: string, by: Principal) {
    return this.move(id, 'install', by, async (c) => {
      const ret = c.part.mustReturn ? await this.expectReturn(c.m, c.req, c.part, false, c.now) : null;
      return {
        patch: { installedAt: c.now },
        events: (r) => [
          requestEvent('spares.part.installed.v1', r, { ...this.step(r, c), ...(ret ? { returnId: ret.id } : {}) }),
          ...(ret ? [this.returnExpected(ret, r, c.part, c.now)] : []),
        ],
      };
    });
  }

  /**
   * A part that failed within its DOA window after delivery is exchanged, not repaired: a new
   * request for the same part (linked to this one) is reserved, and the dead unit is owed back.
   * Outside the window it goes through repair: 409.
   */
  doaExchange(id: string, by: Principal, reason: string) {
    return this.tx.run(async (m, afterCommit) => {
      const c = await this.load(m, id, by, 'doa-exchange', afterCommit);
      if (!withinDoaWindow(c.req.deliveredAt!, c.now, c.part.doaDays)) {
        const why = `delivered ${c.req.deliveredAt!.toISOString()}: outside the ${c.part.doaDays}-day DOA window of ${c.part.partNumber}, so it goes to repair, not exchange`;
        throw illegalMove(
          why,
          allowedActions(REQUEST_MACHINE, c.req.state).filter((a) => a !== 'doa-exchange'),
        );
      }
      const exchange = await this.reserveNew(m, by, afterCommit, {
        part: c.part,
        quantity: c.req.quantity,
        region: c.req.region,
        customerId: c.req.customerId,
        severity: c.req.severity,
        caseId: c.req.caseId,
        siteId: c.req.siteId,
        neededBy: neededBy(c.req.severity, c.now, this.settings.SPARES_NEEDED_BY_HOURS),
        exchangeOf: c.req.id,
      });
      const ret = (await this.expectReturn(m, c.req, c.part, true, c.now))!;
      const original = await this.save(
        c,
        'doa-exchange',
        { closedAt: c.now, decisionReason: reason },
        { exchangeRequestId: exchange.id, reason },
      );
      await this.outbox.append(m, [
        requestEvent('spares.doa.exchanged.v1', original, {
          ...requestRef(original, c.part),
          exchangeRequestId: exchange.id,
          returnId: ret.id,
          deliveredAt: original.deliveredAt!.toISOString(),
          reason,
          actor: c.actor,
          at: c.now.toISOString(),
        }),
        this.returnExpected(ret, original, c.part, c.now),
      ]);
      return { original: view(original), exchange: view(exchange), returnId: ret.id };
    });
  }

  /** A return asked for by hand (e.g. a part that need not come back, but this one should): only for a part that left the depot. */
  requestReturn(id: string, by: Principal) {
    return this.tx.run(async (m) => {
      const req = await this.requests.get(m, id, true);
      if (!req || !canSee(by, req)) throw notFound('part request', id);
      if (!SHIPPED_OR_LATER.includes(req.state)) {
        throw illegalMove(
          `a ${req.state} part request has shipped nothing: no faulty part can come back for it`,
          allowedActions(REQUEST_MACHINE, req.state),
        );
      }
      const part = (await this.parts.get(m, req.partNumber))!;
      const now = this.clock.now();
      const ret = await this.expectReturn(m, req, part, false, now);
      if (!ret) throw conflictOn('requestId', `a return is already expected for part request ${id}`, { allowed: [] });
      await this.outbox.append(m, [this.returnExpected(ret, req, part, now)]);
      return ret;
    });
  }

  // ---- helpers -------------------------------------------------------------------------------

  private async move(id: string, action: RequestAction, by: Principal, apply: (c: Ctx) => MoveOutcome | Promise<MoveOutcome>) {
    return this.tx.run(async (m, afterCommit) => {
      const c = await this.load(m, id, by, action, afterCommit);
      const { patch, events, data } = await apply(c);
      const r = await this.save(c, action, patch, data);
      await this.outbox.append(m, await events(r));
      // a request serving another region's ask: that region hears of the move
      await this.askRelay.followMove(m, r, action, c.actor, c.now, afterCommit);
      return view(r);
    });
  }

  private async load(m: EntityManager, id: string, by: Principal, action: RequestAction, afterCommit: AfterCommit): Promise<Ctx> {
    const req = await this.requests.get(m, id, true);
    if (!req || !canSee(by, req)) throw notFound('part request', id);
    const check = checkMove(REQUEST_MACHINE, 'part request', req.state, action);
    if (!check.ok) throw illegalMove(check.reason, check.allowed);
    const part = (await this.parts.get(m, req.partNumber))!;
    const depot = (await this.depots.get(m, req.depotId))!;
    return { m, req, part, depot, to: check.to, now: this.clock.now(), actor: actorOf(by), afterCommit };
  }

  private async save(c: Ctx, action: string, patch: Partial<PartRequest>, data?: Record<string, unknown>): Promise<PartRequest> {
    const r = await this.requests.update(c.m, c.req.id, { ...patch, state: c.to, updatedAt: c.now });
    await this.requests.addMove(c.m, c.req.id, { action, from: c.req.state, to: c.to, actor: c.actor, at: c.now, data });
    return r;
  }

  private async release(c: Ctx): Promise<void> {
    const done = await this.ledger.apply(c.m, c.depot, c.part, 'release', c.req.quantity, c.afterCommit);
    if (!done) throw conflictOn('quantity', `depot ${c.depot.id} does not hold ${c.req.quantity} reserved units of ${c.part.partNumber}`);
    c.afterCommit(() => this.metrics.reservation(labels(c.req, c.part), 'released'));
  }

  private async released(m: EntityManager, r: PartRequest, c: Ctx, reason: string): Promise<OutboxEvent> {
    return requestEvent('spares.part.released.v1', r, {
      ...requestRef(r, c.part),
      reason,
      outstandingForCase: await this.outstandingForCase(m, r.caseId),
      actor: c.actor,
      at: c.now.toISOString(),
    });
  }

  /** Parts the case still awaits: its own region's requests and those asked of other regions. */
  private async outstandingForCase(m: EntityManager, caseId: string | null): Promise<number> {
    if (!caseId) return 0;
    return (await this.requests.outstandingForCase(m, caseId)) + (await this.asks.outstandingForCase(m, caseId));
  }

  private step(r: PartRequest, c: Ctx) {
    return { ...requestRef(r, c.part), neededBy: r.neededBy.toISOString(), actor: c.actor, at: c.now.toISOString() };
  }

  private expectReturn(m: EntityManager, req: PartRequest, part: Part, doa: boolean, now: Date): Promise<PartReturn | null> {
    return this.returns.insert(m, {
      id: randomUUID(),
      requestId: req.id,
      caseId: req.caseId,
      region: req.region,
      depotId: req.depotId,
      partNumber: part.partNumber,
      quantity: req.quantity,
      doa,
      state: 'expected',
      dueAt: returnDueAt(now, this.settings.SPARES_RETURN_DAYS),
      overdue: false,
      overdueAt: null,
      receivedAt: null,
      receivedBy: null,
      condition: null,
      decidedAt: null,
      decidedBy: null,
      decisionReason: null,
      rmaNumber: null,
      createdAt: now,
    });
  }

  private returnExpected(ret: PartReturn, r: PartRequest, part: Part, now: Date): OutboxEvent {
    return requestEvent('spares.return.expected.v1', r, {
      returnId: ret.id,
      ...requestRef(r, part),
      doa: ret.doa,
      dueAt: ret.dueAt.toISOString(),
      at: now.toISOString(),
    });
  }
}

export const labels = (r: { depotRegion: string; depotId: string }, part: Part) => ({
  region: r.depotRegion,
  depot: r.depotId,
  part_class: part.partClass,
});
