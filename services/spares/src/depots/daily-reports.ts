import { Injectable } from '@nestjs/common';
import { Outbox } from '@aftersales/messaging';
import { Clock } from '@aftersales/platform';
import { ReturnRepository } from '../returns/return.repository';
import { DepotRepository } from './depot.repository';
import { Transactions } from '../shared/tx';

/**
 * The daily per-depot stock report: parts below minimum and overdue returns, made once per depot
 * and day (UTC) by whichever replica claims the day's row first, and announced as
 * `spares.depot.daily-report.v1`.
 */
@Injectable()
export class DailyReports {
  constructor(
    private readonly tx: Transactions,
    private readonly depots: DepotRepository,
    private readonly returns: ReturnRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  /** Makes today's reports not made yet; returns the depots reported. */
  async makeDue(): Promise<string[]> {
    const now = this.clock.now();
    const day = now.toISOString().slice(0, 10);
    const made: string[] = [];
    for (const depot of await this.depots.all(this.tx.reads)) {
      const done = await this.tx.run(async (m) => {
        const report = {
          parts: await this.depots.partCount(m, depot.id),
          belowMinimum: await this.depots.belowMinimum(m, depot.id),
          overdueReturns: await this.returns.countOverdue(m, depot.id, now),
        };
        if (!(await this.depots.claimReport(m, depot.id, day, report, now))) return false;
        await this.outbox.append(m, [
          {
            type: 'spares.depot.daily-report.v1',
            aggregateType: 'depot',
            aggregateId: depot.id,
            data: { depotId: depot.id, region: depot.region, day, ...report, at: now.toISOString() },
          },
        ]);
        return true;
      });
      if (done) made.push(depot.id);
    }
    return made;
  }
}
