import { ServiceDefinition } from '@aftersales/platform';
import { SparesBaseline1700000000000 } from './migrations/1700000000000-spares-baseline';
import { SparesStock1700000000100 } from './migrations/1700000000100-spares-stock';
import { SparesPartAsks1700000016100 } from './migrations/1700000016100-spares-part-asks';
import { SparesPlanPerDraft1700000016200 } from './migrations/1700000016200-spares-plan-per-draft';
import { SparesCaseDeadlines1700000016300 } from './migrations/1700000016300-spares-case-deadlines';
import { sparesConfig } from './spares.config';
import { SparesModule } from './spares.module';

export const sparesService: ServiceDefinition = {
  name: 'spares',
  title: 'aftersales spares: catalog, depots, stock, reservations, shipments, returns, repairs, purchase plans',
  defaultPort: 3004,
  entities: [],
  migrations: [
    SparesBaseline1700000000000,
    SparesStock1700000000100,
    SparesPartAsks1700000016100,
    SparesPlanPerDraft1700000016200,
    SparesCaseDeadlines1700000016300,
  ],
  module: SparesModule,
  // copies of case and escalation facts (their owners audit them), and the depot report a timer regenerates
  audit: { skipTables: ['case_demands', 'case_policy_deadlines', 'depot_reports'] },
  configSchema: sparesConfig,
};
