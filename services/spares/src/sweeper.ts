import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PeriodicTask, SERVICE_SETTINGS } from '@aftersales/platform';
import { DailyReports } from './depots/daily-reports';
import { ReturnsService } from './returns/returns.service';
import { SparesSettings } from './spares.config';

/** Every SPARES_SWEEP_MS: flag returns past due, make the day's depot reports. Tests call tick() after stepping the clock. */
@Injectable()
export class SparesSweeper implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('SparesSweeper');
  private readonly task: PeriodicTask;

  constructor(
    private readonly returns: ReturnsService,
    private readonly reports: DailyReports,
    @Inject(SERVICE_SETTINGS) settings: SparesSettings,
  ) {
    this.task = new PeriodicTask('spares sweep', settings.SPARES_SWEEP_MS, () => this.tick(), this.log);
  }

  onModuleInit(): void {
    this.task.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  async tick(): Promise<{ overdueReturns: number; reports: string[] }> {
    let overdueReturns = 0;
    for (let n = await this.returns.flagOverdue(); n > 0; n = await this.returns.flagOverdue()) overdueReturns += n;
    return { overdueReturns, reports: await this.reports.makeDue() };
  }
}
