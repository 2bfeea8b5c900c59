import { ServiceDefinition } from '@aftersales/platform';
import { channelsPersistence } from './channels';
import { IntakeModule } from './intake.module';
import { knowledgePersistence } from './knowledge';
import { IntakeBaseline1700000000000 } from './migrations/1700000000000-intake-baseline';
import { registryPersistence } from './registry';
import { ServiceRequest } from './requests/service-request.entity';

export const intakeService: ServiceDefinition = {
  name: 'intake',
  title: 'aftersales intake: registry and service requests from every channel',
  defaultPort: 3001,
  entities: [ServiceRequest, ...registryPersistence.entities, ...channelsPersistence.entities, ...knowledgePersistence.entities],
  migrations: [
    IntakeBaseline1700000000000,
    ...registryPersistence.migrations,
    ...channelsPersistence.migrations,
    ...knowledgePersistence.migrations,
  ],
  module: IntakeModule,
};
