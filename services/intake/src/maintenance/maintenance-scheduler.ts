import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PeriodicTask, SERVICE_SETTINGS } from '@aftersales/platform';
import { RenewalReminders } from '../agreements/renewal-reminders';
import { MaintenanceSettings } from './maintenance.config';

/**
 * Every INTAKE_MAINTENANCE_TICK_MS: agreement renewal reminders that fell due. Timers are rows with
 * a due time, claimed with SKIP LOCKED, so any number of replicas send each once. Tests step the
 * injected clock and call `tick()`.
 */
@Injectable()
export class MaintenanceScheduler implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('MaintenanceScheduler');
  private readonly task: PeriodicTask;

  constructor(
    private readonly reminders: RenewalReminders,
    @Inject(SERVICE_SETTINGS) private readonly settings: MaintenanceSettings,
  ) {
    this.task = new PeriodicTask('maintenance tick', settings.INTAKE_MAINTENANCE_TICK_MS, () => this.tick(), this.log);
  }

  onModuleInit(): void {
    this.task.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  async tick(): Promise<{ reminders: number }> {
    return { reminders: await this.drain(() => this.reminders.sendDue()) };
  }

  private async drain(batch: () => Promise<number>): Promise<number> {
    let total = 0;
    for (let n = await batch(); ; n = await batch()) {
      total += n;
      if (n < this.settings.INTAKE_MAINTENANCE_BATCH) return total;
    }
  }
}
