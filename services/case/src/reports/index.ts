import { CaseReports1700000015300 } from '../migrations/1700000015300-case-reports';

export * from './reports.module';
export { reportsConfig } from './reports.config';

export const reportsPersistence = { entities: [] as Array<new () => unknown>, migrations: [CaseReports1700000015300] };
