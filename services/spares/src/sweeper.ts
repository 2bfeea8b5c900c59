import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PeriodicSweep, SERVICE_SETTINGS } from '@aftersales/platform';
import { DailyReports } from './depots/daily-reports';
import { ReturnsService } from './returns/returns.service';
import { SparesSettings } from './spares.config';

/** Every SPARES_SWEEP_MS: flag returns past due, make the day's depot reports. Tests call sweep() after stepping the clock. */
@Injectable()
export class SparesSweeper extends PeriodicSweep implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly returns: ReturnsService,
    private readonly reports: DailyReports,
    @Inject(SERVICE_SETTINGS) settings: SparesSettings,
  ) {
    super('spares sweep', settings.SPARES_SWEEP_MS, new Logger('SparesSweeper'));
  }

  async sweep(): Promise<{ overdueReturns: number; reports: string[] }> {
    let overdueReturns = 0;
    for (let n = await this.returns.flagOverdue(); n > 0; n = await this.returns.flagOverdue()) overdueReturns += n;
    return { overdueReturns, reports: await this.reports.makeDue() };
  }
}
