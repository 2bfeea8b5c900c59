import { Module } from '@nestjs/common';
import { MaintenanceRecordsController } from './maintenance-records.controller';
import { MaintenanceRecordsHandler } from './maintenance-records.handler';
import { MaintenanceRecordsRepository } from './maintenance-records.repository';
import { MaintenanceRecordsService } from './maintenance-records.service';

/** Monthly maintenance records per contract. */
@Module({
  controllers: [MaintenanceRecordsController, MaintenanceRecordsHandler],
  providers: [MaintenanceRecordsRepository, MaintenanceRecordsService],
})
export class MaintenanceRecordsModule {}
