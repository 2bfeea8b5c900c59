import { Inject, Injectable } from '@nestjs/common';
import { Envelope, Outbox } from '@aftersales/messaging';
import { Clock, Principal, problemException, SERVICE_SETTINGS } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CatalogRepository } from '../catalog/catalog.repository';
import { Depot } from '../depots/depot';
import { DepotRepository } from '../depots/depot.repository';
import { StockLedger } from '../depots/stock-ledger';
import { allowedActions, checkMove, draftLines, mergeLines, PLAN_MACHINE, PlanAction, PlanLine, planDueAt } from '../domain';
import { illegalMove, notFound, unknownRef } from '../shared/problems';
import { canSee, requireManagerOf } from '../shared/scope';
import { SparesMetrics } from '../shared/spares-metrics';
import { AfterCommit, Transactions } from '../shared/tx';
import { SparesSettings } from '../spares.config';
import { PurchasePlan } from './purchase-plan';
import { PurchasePlanRepository } from './purchase-plan.repository';

export const planView = (p: PurchasePlan) => ({ ...p, allowed: allowedActions(PLAN_MACHINE, p.state) });

/**
 * Purchase plans (domain §7, seed 003 §10): drafted when a contract is signed from its assets'
 * models, announced with a stock-in deadline that the escalation engine holds; ordered (in
 * transit at a depot) and stocked in. Escalation's `deadline.overdue` flags a plan not stocked in.
 */
@Injectable()
export class PurchasePlansService {
  constructor(
    private readonly tx: Transactions,
    private readonly outbox: Outbox,
    @Inject(SERVICE_SETTINGS) private readonly settings: SparesSettings,
    private readonly plans: PurchasePlanRepository,
    private readonly parts: CatalogRepository,
    private readonly depots: DepotRepository,
    private readonly ledger: StockLedger,
    private readonly metrics: SparesMetrics,
    private readonly clock: Clock,
  ) {}

  async draftForContract(m: EntityManager, e: Envelope<'intake.contract.signed.v1'>): Promise<void> {
    const c = e.data;
    if (await this.plans.existsFor(m, c.contractId)) return; // the contract has its plan
    const models = c.assets.map((a) => a.model);
    const lines = draftLines(models, await this.parts.compatibleWith(m, models));
    await this.draft(m, e, { ...c, lines, from: new Date(c.signedAt) });
  }

  /**
   * An asset came under a contract after it was signed: its model's parts join the contract's
   * draft plan, or a new draft (due in SPARES_PURCHASE_PLAN_DAYS from now) when the plan was
   * ordered or stocked in already. An asset no catalog part fits adds nothing.
   */
  async addAsset(m: EntityManager, e: Envelope<'intake.asset.registered.v1'>): Promise<void> {
    const a = e.data;
    const lines = draftLines([a.model], await this.parts.compatibleWith(m, [a.model]));
    if (!lines.length) return;
    const open = await this.plans.draftFor(m, a.contractId);
    if (open) {
      await this.plans.addLines(m, open.id, lines);
      return;
    }
    await this.draft(m, e, { ...a, lines, from: this.clock.now() });
  }

  private async draft(
    m: EntityManager,
    cause: { id: string; correlationId?: string },
    c: { contractId: string; customerId: string; region: string; lines: PlanLine[]; from: Date },
  ): Promise<void> {
    const lines = c.lines;
    const plan: PurchasePlan = {
      id: randomUUID(),
      contractId: c.contractId,
      customerId: c.customerId,
      region: c.region,
      state: 'drafted',
      depotId: null,
      dueAt: planDueAt(c.from, this.settings.SPARES_PURCHASE_PLAN_DAYS),
      overdue: false,
      overdueAt: null,
      draftedAt: this.clock.now(),
      orderedAt: null,
      stockedInAt: null,
      stockedInBy: null,
      lines,
    };
    if (!(await this.plans.insert(m, plan))) return; // a draft of the contract came first
    await this.outbox.append(m, [
      {
        type: 'spares.purchase-plan.drafted.v1',
        aggregateType: 'purchase-plan',
        aggregateId: plan.id,
        cause,
        data: {
          planId: plan.id,
          contractId: plan.contractId,
          customerId: plan.customerId,
          region: plan.region,
          dueAt: plan.dueAt.toISOString(),
          lines,
        },
      },
    ]);
  }

  /** Escalation's stock-in deadline passed: a plan not stocked in is flagged overdue (once). */
  async deadlinePassed(m: EntityManager, planId: string, firedAt: Date, afterCommit: AfterCommit): Promise<void> {
    const plan = await this.plans.get(m, planId, true);
    if (!plan || plan.state === 'stocked-in' || plan.overdue) return;
    await this.plans.update(m, planId, { overdue: true, overdueAt: firedAt });
    afterCommit(() => this.metrics.planOverdue(plan.region));
  }

  async get(id: string, by: Principal) {
    const p = await this.plans.get(this.tx.reads, id);
    if (!p || !canSee(by, p)) throw notFound('purchase plan', id);
    return planView(p);
  }

  async list(by: Principal, f: { state?: string; overdue?: boolean; contractId?: string }, limit: number, offset: number) {
    const page = await this.plans.list(this.tx.reads, by, f, limit, offset);
    return { items: page.items.map(planView), total: page.total, limit, offset };
  }

  addLines(id: string, lines: PlanLine[], by: Principal) {
    return this.move(id, 'add-lines', by, async (m, plan) => {
      const known = await this.parts.existing(
        m,
        lines.map((l) => l.partNumber),
      );
      const i = lines.findIndex((l) => !known.has(l.partNumber));
      const unknownLine = lines[i];
      if (unknownLine) throw unknownRef(`lines.${i}.partNumber`, 'part', unknownLine.partNumber);
      await this.plans.addLines(m, plan.id, mergeLines([], lines));
      return {};
    });
  }

  /** Ordered for a depot: each line counts in transit there, expected by the due date unless told otherwise. */
  order(id: string, depotId: string, expectedAt: string | undefined, by: Principal) {
    return this.move(id, 'order', by, async (m, plan, afterCommit) => {
      const depot = await this.depotFor(m, plan, depotId);
      const now = this.clock.now();
      for (const l of plan.lines) {
        const part = (await this.parts.get(m, l.partNumber))!;
        await this.ledger.apply(m, depot, part, 'announce-inbound', l.quantity, afterCommit);
        await this.depots.addInbound(
          m,
          {
            id: randomUUID(),
            depotId: depot.id,
            partNumber: l.partNumber,
            quantity: l.quantity,
            expectedAt: expectedAt ? new Date(expectedAt) : plan.dueAt,
            planId: plan.id,
          },
          now,
        );
      }
      return { depotId: depot.id, orderedAt: now };
    });
  }

  stockIn(id: string, depotId: string | undefined, by: Principal) {
    return this.move(id, 'stock-in', by, async (m, plan, afterCommit) => {
      const now = this.clock.now();
      let depot: Depot;
      if (plan.state === 'ordered') {
        depot = (await this.depots.get(m, plan.depotId!))!;
        for (const i of await this.depots.receiveInbound(m, { planId: plan.id }, now)) {
          await this.ledger.apply(m, depot, (await this.parts.get(m, i.partNumber))!, 'receive-inbound', i.quantity, afterCommit);
        }
      } else {
        depot = await this.depotFor(m, plan, depotId);
        for (const l of plan.lines)
          await this.ledger.apply(m, depot, (await this.parts.get(m, l.partNumber))!, 'stock-in', l.quantity, afterCommit);
      }
      await this.outbox.append(m, [
        {
          type: 'spares.purchase-plan.stocked-in.v1',
          aggregateType: 'purchase-plan',
          aggregateId: plan.id,
          data: { planId: plan.id, region: plan.region, stockedInAt: now.toISOString() },
        },
      ]);
      return { depotId: depot.id, stockedInAt: now, stockedInBy: by.subject };
    });
  }

  private async depotFor(m: EntityManager, plan: PurchasePlan, depotId: string | undefined): Promise<Depot> {
    const depot = depotId ? await this.depots.get(m, depotId) : await this.depots.homeOf(m, plan.region);
    if (!depot) {
      if (depotId) throw unknownRef('depotId', 'depot', depotId);
      throw problemException(422, [{ field: 'depotId', reason: `region ${plan.region} has no home depot: name the depot` }]);
    }
    return depot;
  }

  private move(
    id: string,
    action: PlanAction,
    by: Principal,
    apply: (m: EntityManager, plan: PurchasePlan, afterCommit: AfterCommit) => Promise<Partial<PurchasePlan>>,
  ) {
    return this.tx.run(async (m, afterCommit) => {
      const plan = await this.plans.get(m, id, true);
      if (!plan || !canSee(by, plan)) throw notFound('purchase plan', id);
      requireManagerOf(by, plan.region, `${action} a purchase plan`);
      const check = checkMove(PLAN_MACHINE, 'purchase plan', plan.state, action);
      if (!check.ok) throw illegalMove(check.reason, check.allowed);
      const { lines: _l, ...patch } = await apply(m, plan, afterCommit);
      const after = await this.plans.update(m, id, { ...patch, state: check.to });
      return planView(after);
    });
  }
}
