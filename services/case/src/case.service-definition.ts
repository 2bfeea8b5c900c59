import { ServiceDefinition } from '@aftersales/platform';
import { CaseModule } from './case.module';
import { Case } from './cases/case.entity';
import { knowledgePersistence } from './knowledge';
import { CaseBaseline1700000000000 } from './migrations/1700000000000-case-baseline';

export const caseService: ServiceDefinition = {
  name: 'case',
  title: 'aftersales case: lifecycle, assignment, dispatch, knowledge',
  defaultPort: 3002,
  entities: [Case, ...knowledgePersistence.entities],
  migrations: [CaseBaseline1700000000000, ...knowledgePersistence.migrations],
  module: CaseModule,
};
