import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PeriodicSweep, SERVICE_SETTINGS } from '@aftersales/platform';
import { RenewalReminders } from '../agreements/renewal-reminders';
import { MaintenanceSettings } from './maintenance.config';
import { Occurrences } from './occurrences';

/**
 * Every INTAKE_MAINTENANCE_TICK_MS: announcements of inspections and remote checks, work orders
 * and monthly records that fell due, and agreement renewal reminders. Timers are rows with
 * a due time, claimed with SKIP LOCKED, so any number of replicas send each once. Tests step the
 * injected clock and call `sweep()`.
 */
@Injectable()
export class MaintenanceScheduler extends PeriodicSweep implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly reminders: RenewalReminders,
    private readonly occurrences: Occurrences,
    @Inject(SERVICE_SETTINGS) private readonly settings: MaintenanceSettings,
  ) {
    super('maintenance tick', settings.INTAKE_MAINTENANCE_TICK_MS, new Logger('MaintenanceScheduler'));
  }

  async sweep(): Promise<{ announced: number; opened: number; reminders: number }> {
    // announcements first: a visit whose lead time has passed is still announced before it opens
    const announced = await this.drain(() => this.occurrences.announceDue());
    const opened = await this.drain(() => this.occurrences.openDue());
    return { announced, opened, reminders: await this.drain(() => this.reminders.sendDue()) };
  }

  private async drain(batch: () => Promise<number>): Promise<number> {
    let total = 0;
    for (let n = await batch(); ; n = await batch()) {
      total += n;
      if (n < this.settings.INTAKE_MAINTENANCE_BATCH) return total;
    }
  }
}
