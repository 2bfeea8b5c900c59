import { CaseMaintenanceRecords1700000015200 } from '../migrations/1700000015200-case-maintenance-records';

export * from './maintenance-records.module';

export const maintenanceRecordsPersistence = {
  entities: [] as Array<new () => unknown>,
  migrations: [CaseMaintenanceRecords1700000015200],
};
