import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { Clock, SERVICE_SETTINGS } from '@aftersales/platform';
import { EntityManager } from 'typeorm';
import { Part } from '../catalog/part';
import { Depot } from '../depots/depot';
import { DepotRepository } from '../depots/depot.repository';
import { StockLedger } from '../depots/stock-ledger';
import { candidates, DepotStock, nextBest } from '../domain';
import { unknownRef } from '../shared/problems';
import { SparesMetrics } from '../shared/spares-metrics';
import { AfterCommit } from '../shared/tx';
import { SparesSettings } from '../spares.config';

export interface Reservation {
  depot: Depot;
  /** held at another region's depot: that region's manager must approve */
  crossRegion: boolean;
}

/**
 * Holds stock for a request at the best depot: the case's region first (home depot first), then
 * the other regions. Each try is the ledger's conditional UPDATE under the row lock, so concurrent
 * requests never hold more than there is; when every try fails the answer is 409 "out of stock"
 * naming the depot that could serve soonest and when.
 */
@Injectable()
export class Reserver {
  constructor(
    private readonly depots: DepotRepository,
    private readonly ledger: StockLedger,
    private readonly metrics: SparesMetrics,
    private readonly clock: Clock,
    @Inject(SERVICE_SETTINGS) private readonly settings: SparesSettings,
  ) {}

  /**
   * `record` writes what the reservation stands for (request row, history, event) before the stock
   * row is touched: the row lock is then held only from the conditional UPDATE to the commit, which
   * is what bounds reservations per second on one contended part. A try that loses the race is
   * rolled back to its savepoint and the next depot tried.
   */
  async reserve(
    m: EntityManager,
    part: Part,
    quantity: number,
    region: string,
    depotId: string | undefined,
    afterCommit: AfterCommit,
    record: (r: Reservation) => Promise<void>,
  ): Promise<Reservation> {
    const standings = await this.depots.standings(m, part.partNumber);
    let order: DepotStock[];
    if (depotId !== undefined) {
      const named = standings.find((d) => d.depotId === depotId);
      if (!named) throw unknownRef('depotId', 'depot', depotId);
      order = named.available >= quantity ? [named] : [];
    } else {
      order = candidates(standings, region, quantity);
    }
    for (const [i, d] of order.entries()) {
      const last = i === order.length - 1; // a failed last try ends the transaction anyway: no savepoint
      const r: Reservation = { depot: { id: d.depotId, region: d.region, home: d.home } as Depot, crossRegion: d.region !== region };
      if (!last) await m.query('SAVEPOINT reserve');
      await record(r);
      if (await this.ledger.apply(m, r.depot, part, 'reserve', quantity, afterCommit)) {
        if (!last) await m.query('RELEASE SAVEPOINT reserve');
        return r;
      }
      if (!last) await m.query('ROLLBACK TO SAVEPOINT reserve');
    }
    throw await this.outOfStock(m, part, quantity, region);
  }

  private async outOfStock(m: EntityManager, part: Part, quantity: number, region: string): Promise<ConflictException> {
    // a fresh look: the tries above may have lost to concurrent requests
    const best = nextBest(await this.depots.standings(m, part.partNumber), region, quantity, this.clock.now(), {
      transferDays: this.settings.SPARES_TRANSFER_DAYS,
      replenishDays: this.settings.SPARES_REPLENISH_DAYS,
    });
    this.metrics.stockout(region, part.partClass); // an answer given, though nothing is written
    const offer = best ? `next best: depot ${best.depotId} (${best.region}), from ${best.earliestAt.toISOString()}` : 'no depot carries it';
    const reason = `out of stock: no depot can give ${quantity} × ${part.partNumber} now; ${offer}`;
    return new ConflictException({
      statusCode: 409,
      message: reason,
      errors: [{ field: 'quantity', reason }],
      outOfStock: true,
      nextBest: best ? { ...best, earliestAt: best.earliestAt.toISOString() } : null,
    });
  }
}
