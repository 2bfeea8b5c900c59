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
  // report_*: the weekly report's copies of other services' events (their owners audit them);
  // search_* and image: derived search vectors and signature images, not what a person changed
  audit: {
    skipTables: [
      'report_breaches',
      'report_callbacks',
      'report_clocks',
      'report_deliveries',
      'report_rungs',
      'report_stock_events',
      'report_surveys',
    ],
    skipColumns: { knowledge_articles: ['search_a', 'search_b'], service_report_signatures: ['image'] },
  },
  configSchema: caseConfig.merge(reportsConfig),
};
