import { ServiceDefinition } from '@aftersales/platform';
import { caseConfig } from './case.config';
import { CaseModule } from './case.module';
import { casesPersistence } from './cases';
import { downtimePersistence } from './downtime';
import { fieldPersistence } from './field';
import { inspectionsPersistence } from './inspections';
import { maintenanceRecordsPersistence } from './maintenance-records';
import { reportsConfig, reportsPersistence } from './reports';
import { knowledgePersistence } from './knowledge';
import { loansPersistence } from './loans';
import { CaseBaseline1700000000000 } from './migrations/1700000000000-case-baseline';

export const caseService: ServiceDefinition = {
  name: 'case',
  title: 'aftersales case: lifecycle, assignment, dispatch, knowledge',
  defaultPort: 3002,
  entities: [...casesPersistence.entities, ...fieldPersistence.entities, ...knowledgePersistence.entities],
  migrations: [
    CaseBaseline1700000000000,
    ...casesPersistence.migrations,
    ...fieldPersistence.migrations,
    ...knowledgePersistence.migrations,
    ...downtimePersistence.migrations,
    ...inspectionsPersistence.migrations,
    ...maintenanceRecordsPersistence.migrations,
    ...reportsPersistence.migrations,
    ...loansPersistence.migrations,
  ],
  module: CaseModule,
  configSchema: caseConfig.merge(reportsConfig),
};
