import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { Clock, Principal, problemException, SERVICE_SETTINGS } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Outbox } from '@aftersales/messaging';
import { CaseDemand, CaseDemandRepository } from '../cases/case-demand.repository';
import { CatalogRepository } from '../catalog/catalog.repository';
import { checkRepairMove, inWarrantyOn, quoteAmount, RepairAction, repairAllowed } from '../domain';
import { illegalMove, notFound, unknownRef } from '../shared/problems';
import { actorOf, canSee, isStaff } from '../shared/scope';
import { SparesSettings } from '../spares.config';
import { RepairOrder } from './repair-order';
import { RepairOrderRepository } from './repair-order.repository';
import { CreateRepairOrderDto, DiagnoseDto, ShipBackDto } from './repair-orders.dto';
import { Transactions } from '../shared/tx';

export const repairView = (o: RepairOrder) => ({ ...o, allowed: repairAllowed(o.state, o.inWarranty) });

/** Warranty statuses under which a repair is free (§9: in warranty, or under a maintenance agreement). */
const FREE: ReadonlySet<string> = new Set(['in-warranty', 'under-contract']);

/**
 * Carry-in and mail-in repair orders (送修 / 寄修): received → diagnosed → (quoted → accepted |
 * declined, out of warranty) → repaired → shipped back. Each move under the order's row lock with
 * its history row and `spares.repair-order.updated.v1`. Customers see and answer only their own.
 */
@Injectable()
export class RepairOrdersService {
  constructor(
    private readonly tx: Transactions,
    private readonly outbox: Outbox,
    @Inject(SERVICE_SETTINGS) private readonly settings: SparesSettings,
    private readonly orders: RepairOrderRepository,
    private readonly parts: CatalogRepository,
    private readonly cases: CaseDemandRepository,
    private readonly clock: Clock,
  ) {}

  create(d: CreateRepairOrderDto, by: Principal, key?: string) {
    return this.tx.once(`repair-order:${by.subject}`, key, d, async (m) => {
      const c = d.caseId ? await this.caseOf(m, d.caseId, by) : null;
      const warrantyEndsOn = d.warrantyEndsOn ?? c?.warrantyEndsOn ?? null;
      const inWarranty = this.inWarranty(warrantyEndsOn, c);
      const now = this.clock.now();
      const o: RepairOrder = {
        id: randomUUID(),
        caseId: c?.caseId ?? null,
        customerId: c?.customerId ?? d.customerId!,
        region: c?.region ?? by.region,
        channel: d.channel,
        serialNumber: d.serialNumber.trim(),
        productModel: d.productModel ?? c?.productModel ?? null,
        contractId: d.contractId ?? c?.contractId ?? null,
        warrantyEndsOn,
        inWarranty,
        condition: d.condition,
        accessories: d.accessories ?? [],
        photos: d.photos ?? [],
        fault: null,
        partNumber: null,
        quotePercent: null,
        quoteAmount: null,
        state: 'received',
        carrier: null,
        trackingNumber: null,
        collectedBy: null,
        repairNotes: null,
        receivedBy: by.subject,
        receivedAt: now,
        diagnosedAt: null,
        quotedAt: null,
        decidedAt: null,
        repairedAt: null,
        returnedAt: null,
        updatedAt: now,
      };
      await this.orders.insert(m, o);
      await this.orders.addMove(m, o.id, { action: 'receive', from: null, to: 'received', actor: actorOf(by), at: now });
      await this.announce(m, o, null, by);
      return { status: 201, body: repairView(o) };
    });
  }

  private async caseOf(m: EntityManager, caseId: string, by: Principal): Promise<CaseDemand> {
    const c = await this.cases.get(m, caseId);
    if (!c || !canSee(by, c) || !c.customerId) throw unknownRef('caseId', 'case', caseId);
    return c;
  }

  /** By the warranty end when known, else by the case's warranty status; unknown is a 422 asking for the date. */
  private inWarranty(warrantyEndsOn: string | null, c: CaseDemand | null): boolean {
    if (warrantyEndsOn) return inWarrantyOn(warrantyEndsOn, this.clock.now().toISOString().slice(0, 10));
    if (c?.warranty && c.warranty !== 'unknown') return FREE.has(c.warranty);
    throw problemException(422, [{ field: 'warrantyEndsOn', reason: 'the warranty is unknown: give the date it ends' }]);
  }

  async get(id: string, by: Principal) {
    const o = await this.orders.get(this.tx.reads, id);
    if (!o || !canSee(by, o)) throw notFound('repair order', id);
    return repairView(o);
  }

  async history(id: string, by: Principal) {
    await this.get(id, by);
    return this.orders.moves(this.tx.reads, id);
  }

  async list(by: Principal, f: { state?: string; caseId?: string }, limit: number, offset: number) {
    const page = await this.orders.list(this.tx.reads, by, f, limit, offset);
    return { items: page.items.map(repairView), total: page.total, limit, offset };
  }

  diagnose(id: string, d: DiagnoseDto, by: Principal) {
    return this.move(id, 'diagnose', by, async (m) => {
      if (d.partNumber && !(await this.parts.get(m, d.partNumber))) throw unknownRef('partNumber', 'part', d.partNumber);
      return { fault: d.fault, partNumber: d.partNumber ?? null, diagnosedAt: this.clock.now() };
    });
  }

  /** Seed 004: out of warranty, the repair costs SPARES_REPAIR_QUOTE_PERCENT (or the contract's share) of the part's contract price. */
  quote(id: string, by: Principal) {
    return this.move(id, 'quote', by, async (m, o) => {
      if (!o.partNumber)
        throw problemException(422, [{ field: 'partNumber', reason: 'diagnose the unit with the part to replace before quoting' }]);
      const part = (await this.parts.get(m, o.partNumber))!;
      const percent = (await this.orders.quotePercent(m, o.contractId)) ?? this.settings.SPARES_REPAIR_QUOTE_PERCENT;
      return { quotePercent: percent.toFixed(2), quoteAmount: quoteAmount(part.contractPrice, percent), quotedAt: this.clock.now() };
    });
  }

  accept(id: string, by: Principal) {
    return this.move(id, 'accept', by, () => ({ decidedAt: this.clock.now() }));
  }

  /** The customer says no: the unit goes back unrepaired, and the case service closes the case with the reason. */
  decline(id: string, by: Principal, reason = 'the customer declined the quote') {
    return this.move(id, 'decline', by, () => ({ decidedAt: this.clock.now() }), reason.trim());
  }

  repair(id: string, notes: string | undefined, by: Principal) {
    return this.move(id, 'repair', by, () => ({ repairNotes: notes ?? null, repairedAt: this.clock.now() }));
  }

  shipBack(id: string, d: ShipBackDto, by: Principal) {
    return this.move(id, 'ship-back', by, (_m, o) => {
      if (o.channel === 'mail-in' && !(d.carrier && d.trackingNumber)) {
        throw problemException(400, [
          ...(d.carrier ? [] : [{ field: 'carrier', reason: 'a mail-in unit goes back by carrier: name it' }]),
          ...(d.trackingNumber ? [] : [{ field: 'trackingNumber', reason: 'a mail-in unit goes back with a tracking number' }]),
        ]);
      }
      if (o.channel === 'carry-in' && !d.collectedBy) {
        throw problemException(400, [{ field: 'collectedBy', reason: 'a carry-in unit is collected: say by whom' }]);
      }
      return {
        carrier: d.carrier ?? null,
        trackingNumber: d.trackingNumber ?? null,
        collectedBy: d.collectedBy ?? null,
        returnedAt: this.clock.now(),
      };
    });
  }

  setTerms(contractId: string, percent: number, by: Principal) {
    return this.tx.run(async (m) => {
      // another region's contract (known from its cases) is out of scope, as its records are
      const regions = await this.cases.regionsOfContract(m, contractId);
      if (regions.length && !regions.some((region) => canSee(by, { region }))) throw notFound('contract', contractId);
      return this.orders.setQuotePercent(m, contractId, percent, by.subject, this.clock.now());
    });
  }

  private move(
    id: string,
    action: RepairAction,
    by: Principal,
    apply: (m: EntityManager, o: RepairOrder) => Partial<RepairOrder> | Promise<Partial<RepairOrder>>,
    reason?: string,
  ) {
    return this.tx.run(async (m) => {
      const o = await this.orders.get(m, id, true);
      if (!o || !canSee(by, o)) throw notFound('repair order', id);
      // the customer answers the quote; everything else is the repair centre's
      const customerMove = action === 'accept' || action === 'decline';
      if (!isStaff(by) && !customerMove) {
        throw new ForbiddenException({
          statusCode: 403,
          message: `a customer may only accept or decline a quote`,
          errors: [{ field: '(role)', reason: 'staff only' }],
        });
      }
      const check = checkRepairMove(o.state, o.inWarranty, action);
      if (!check.ok) throw illegalMove(check.reason, check.allowed);
      const patch = await apply(m, o);
      const now = this.clock.now();
      const after = await this.orders.update(m, id, { ...patch, state: check.to, updatedAt: now });
      await this.orders.addMove(m, id, { action, from: o.state, to: check.to, actor: actorOf(by), at: now, data: { ...patch, reason } });
      await this.announce(m, after, o.state, by, reason);
      return repairView(after);
    });
  }

  private async announce(m: EntityManager, o: RepairOrder, from: string | null, by: Principal, reason?: string): Promise<void> {
    await this.outbox.append(m, [
      {
        type: 'spares.repair-order.updated.v1',
        aggregateType: o.caseId ? 'case' : 'repair-order',
        aggregateId: o.caseId ?? o.id,
        data: {
          repairOrderId: o.id,
          ...(o.caseId ? { caseId: o.caseId } : {}),
          customerId: o.customerId,
          region: o.region,
          channel: o.channel,
          from,
          to: o.state,
          inWarranty: o.inWarranty,
          ...(o.quoteAmount ? { quoteAmount: o.quoteAmount } : {}),
          ...(reason ? { reason } : {}),
          actor: actorOf(by),
          at: this.clock.now().toISOString(),
        },
      },
    ]);
  }
}
