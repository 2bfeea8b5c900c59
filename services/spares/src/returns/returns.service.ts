import { Injectable } from '@nestjs/common';
import { Outbox, OutboxEvent } from '@aftersales/messaging';
import { Clock, Principal } from '@aftersales/platform';
import { EntityManager } from 'typeorm';
import { CatalogRepository } from '../catalog/catalog.repository';
import { Part } from '../catalog/part';
import { DepotRepository } from '../depots/depot.repository';
import { StockLedger } from '../depots/stock-ledger';
import { checkMove, DISPOSITION_ACTION, RETURN_MACHINE, ReturnAction, StockMove } from '../domain';
import { requestEvent } from '../requests/part-request-events';
import { conflictOn, illegalMove, notFound, unknownRef } from '../shared/problems';
import { actorOf, canSee } from '../shared/scope';
import { SparesMetrics } from '../shared/spares-metrics';
import { AfterCommit, Transactions } from '../shared/tx';
import { PartReturn } from './part-return';
import { ReturnRepository } from './return.repository';
import { DisposeReturnDto, ReceiveReturnDto } from './returns.dto';

/**
 * Faulty parts coming back (domain §7): received at a depot (counted defective), then repaired
 * back to stock, sent to the vendor with its RMA number, or scrapped — who decided and why kept.
 * Overdue ones are flagged once (sweep, or escalation's `defective-return` deadline).
 */
@Injectable()
export class ReturnsService {
  constructor(
    private readonly tx: Transactions,
    private readonly outbox: Outbox,
    private readonly returns: ReturnRepository,
    private readonly parts: CatalogRepository,
    private readonly depots: DepotRepository,
    private readonly ledger: StockLedger,
    private readonly metrics: SparesMetrics,
    private readonly clock: Clock,
  ) {}

  async get(id: string, by: Principal) {
    const r = await this.returns.get(this.tx.reads, id);
    if (!r || !canSee(by, r)) throw notFound('return', id);
    return strip(r);
  }

  async list(by: Principal, f: { state?: string; overdue?: boolean; requestId?: string }, limit: number, offset: number) {
    return { ...(await this.returns.list(this.tx.reads, by, f, limit, offset)), limit, offset };
  }

  receive(id: string, d: ReceiveReturnDto, by: Principal) {
    return this.tx.run(async (m, afterCommit) => {
      const { ret, part } = await this.load(m, id, by, 'receive');
      const depot = await this.depots.get(m, d.depotId ?? ret.depotId);
      if (!depot || !canSee(by, { region: depot.region })) throw unknownRef('depotId', 'depot', d.depotId ?? ret.depotId);
      await this.stock(m, depot.id, part, 'receive-defective', ret.quantity, afterCommit);
      const now = this.clock.now();
      const late = now.getTime() > ret.dueAt.getTime();
      const after = await this.returns.update(m, id, {
        state: 'received',
        depotId: depot.id,
        receivedAt: now,
        receivedBy: by.subject,
        condition: d.condition,
      });
      await this.emit(m, after, part, depot.region, 'spares.return.received.v1', {
        condition: d.condition,
        late,
        actor: actorOf(by),
        at: now.toISOString(),
      });
      return after;
    });
  }

  dispose(id: string, d: DisposeReturnDto, by: Principal) {
    return this.tx.run(async (m, afterCommit) => {
      const { ret, part } = await this.load(m, id, by, DISPOSITION_ACTION[d.outcome]);
      await this.stock(m, ret.depotId, part, d.outcome === 'repaired' ? 'repair-to-stock' : 'dispose-defective', ret.quantity, afterCommit);
      const now = this.clock.now();
      const after = await this.returns.update(m, id, {
        state: d.outcome,
        decidedAt: now,
        decidedBy: by.subject,
        decisionReason: d.reason,
        rmaNumber: d.outcome === 'sent-to-vendor' ? d.rmaNumber! : null,
      });
      await this.emit(m, after, part, ret.depotRegion, 'spares.return.disposed.v1', {
        outcome: d.outcome,
        ...(after.rmaNumber ? { rmaNumber: after.rmaNumber } : {}),
        reason: d.reason,
        actor: actorOf(by),
        at: now.toISOString(),
      });
      return after;
    });
  }

  /** Flags expected returns past due (each once, across replicas); returns how many. */
  async flagOverdue(limit = 200): Promise<number> {
    return this.tx.run(async (m, afterCommit) => {
      const now = this.clock.now();
      const due = await this.returns.claimOverdue(m, now, limit);
      for (const ret of due) await this.markOverdue(m, ret, now, afterCommit);
      return due.length;
    });
  }

  /** Escalation's `defective-return` deadline passed: flag the return if it is still awaited. */
  async deadlinePassed(m: EntityManager, returnId: string, at: Date, afterCommit: AfterCommit): Promise<void> {
    const ret = await this.returns.get(m, returnId, true);
    if (!ret || ret.state !== 'expected' || ret.overdue) return;
    await this.markOverdue(m, ret, at, afterCommit);
  }

  private async markOverdue(m: EntityManager, ret: PartReturn, now: Date, afterCommit: AfterCommit): Promise<void> {
    const part = (await this.parts.get(m, ret.partNumber))!;
    const depot = (await this.depots.get(m, ret.depotId))!;
    const after = await this.returns.update(m, ret.id, { overdue: true, overdueAt: now });
    await this.emit(m, after, part, depot.region, 'spares.return.overdue.v1', { dueAt: after.dueAt.toISOString(), at: now.toISOString() });
    afterCommit(() => this.metrics.returnOverdue({ region: depot.region, depot: depot.id, part_class: part.partClass }));
  }

  private async load(m: EntityManager, id: string, by: Principal, action: ReturnAction) {
    const ret = await this.returns.get(m, id, true);
    if (!ret || !canSee(by, ret)) throw notFound('return', id);
    const check = checkMove(RETURN_MACHINE, 'return', ret.state, action);
    if (!check.ok) throw illegalMove(check.reason, check.allowed);
    return { ret, part: (await this.parts.get(m, ret.partNumber))! };
  }

  private async stock(m: EntityManager, depotId: string, part: Part, move: StockMove, quantity: number, afterCommit: AfterCommit) {
    const depot = (await this.depots.get(m, depotId))!;
    const row = await this.ledger.apply(m, depot, part, move, quantity, afterCommit);
    if (!row) throw conflictOn('quantity', `depot ${depotId} does not hold ${quantity} defective units of ${part.partNumber}`);
  }

  private async emit(
    m: EntityManager,
    ret: PartReturn,
    part: Part,
    depotRegion: string,
    type: 'spares.return.received.v1' | 'spares.return.disposed.v1' | 'spares.return.overdue.v1',
    extra: Record<string, unknown>,
  ): Promise<void> {
    const data = {
      returnId: ret.id,
      requestId: ret.requestId,
      ...(ret.caseId ? { caseId: ret.caseId } : {}),
      region: ret.region,
      depotId: ret.depotId,
      depotRegion,
      partNumber: ret.partNumber,
      partClass: part.partClass,
      quantity: ret.quantity,
      ...extra,
    };
    const event = requestEvent(type, { id: ret.requestId, caseId: ret.caseId }, data as never) as OutboxEvent;
    await this.outbox.append(m, [event]);
  }
}

function strip(r: PartReturn & { depotRegion?: string }): PartReturn {
  const { depotRegion: _d, ...rest } = r;
  return rest;
}
