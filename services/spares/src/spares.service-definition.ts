import { ServiceDefinition } from '@aftersales/platform';
import { SparesModule } from './spares.module';
import { CaseDemand } from './cases/case-demand.entity';
import { SparesBaseline1700000000000 } from './migrations/1700000000000-spares-baseline';

export const sparesService: ServiceDefinition = {
  name: 'spares',
  title: 'aftersales spares: catalog, depots, stock, reservations, shipments, repairs',
  defaultPort: 3004,
  entities: [CaseDemand],
  migrations: [SparesBaseline1700000000000],
  module: SparesModule,
};
