import { IntakeMaintenance1700000015200 } from '../migrations/1700000015200-intake-maintenance';

export * from './maintenance.module';
export { MaintenanceScheduler } from './maintenance-scheduler';
export { maintenanceConfig } from './maintenance.config';

export const maintenancePersistence = { entities: [] as Array<new () => unknown>, migrations: [IntakeMaintenance1700000015200] };
