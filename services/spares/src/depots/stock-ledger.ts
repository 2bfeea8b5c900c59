import { Injectable } from '@nestjs/common';
import { Outbox } from '@aftersales/messaging';
import { Clock } from '@aftersales/platform';
import { EntityManager } from 'typeorm';
import { Part } from '../catalog/part';
import { before, crossedBelowMinimum, deltaOf, StockMove } from '../domain';
import { SparesMetrics } from '../shared/spares-metrics';
import { AfterCommit } from '../shared/tx';
import { Depot, StockRow } from './depot';
import { DepotRepository } from './depot.repository';

/** Moves that may start a stock row that does not exist yet (they only add). */
const CREATES: ReadonlySet<StockMove> = new Set<StockMove>(['stock-in', 'announce-inbound', 'receive-defective']);

/**
 * The one way stock changes: the domain's delta for the move, applied by the repository's
 * conditional UPDATE, and a low-stock event (and metric) when the move takes the part below its
 * minimum level — in the caller's transaction.
 */
@Injectable()
export class StockLedger {
  constructor(
    private readonly depots: DepotRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly metrics: SparesMetrics,
  ) {}

  /** The stock row after the move, or null when the stock does not allow it (nothing changed). */
  async apply(
    m: EntityManager,
    depot: Depot,
    part: Part,
    move: StockMove,
    quantity: number,
    afterCommit: AfterCommit,
  ): Promise<StockRow | null> {
    const delta = deltaOf(move, quantity);
    const now = this.clock.now();
    const after = await this.depots.applyDelta(m, depot.id, part.partNumber, delta, now, CREATES.has(move));
    if (after) await this.checkMinimum(m, depot, part, before(after, delta), after, afterCommit);
    return after;
  }

  async checkMinimum(
    m: EntityManager,
    depot: Depot,
    part: Part,
    prev: { onHand: number; reserved: number; inTransit: number; defective: number; minLevel: number },
    next: StockRow,
    afterCommit: AfterCommit,
  ): Promise<void> {
    if (!crossedBelowMinimum(prev, next)) return;
    await this.outbox.append(m, [
      {
        type: 'spares.stock.below-minimum.v1',
        aggregateType: 'depot',
        aggregateId: depot.id,
        data: {
          depotId: depot.id,
          region: depot.region,
          partNumber: part.partNumber,
          partClass: part.partClass,
          available: next.available,
          minLevel: next.minLevel,
          at: this.clock.now().toISOString(),
        },
      },
    ]);
    afterCommit(() => this.metrics.belowMinimumCrossed({ region: depot.region, depot: depot.id, part_class: part.partClass }));
  }
}
