import { Module } from '@nestjs/common';
import { AgreementsModule } from '../agreements/agreements.module';
import { MaintenanceRepository } from './maintenance.repository';
import { MaintenanceScheduler } from './maintenance-scheduler';
import { Occurrences } from './occurrences';
import { PlansController } from './plans.controller';
import { PlansService } from './plans.service';

/** Preventive maintenance plans and the scheduler that announces and opens their occurrences (and reminds agreement renewals). */
@Module({
  imports: [AgreementsModule],
  controllers: [PlansController],
  providers: [MaintenanceRepository, PlansService, Occurrences, MaintenanceScheduler],
})
export class MaintenanceModule {}
