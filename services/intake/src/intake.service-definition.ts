import { ServiceDefinition } from '@aftersales/platform';
import { agreementsPersistence } from './agreements';
import { channelsPersistence } from './channels';
import { intakeConfig, smtpSecurityRule } from './intake.config';
import { IntakeModule } from './intake.module';
import { knowledgePersistence } from './knowledge';
import { maintenanceConfig, maintenancePersistence } from './maintenance';
import { IntakeBaseline1700000000000 } from './migrations/1700000000000-intake-baseline';
import { registryPersistence } from './registry';
import { requestsPersistence } from './requests';
import { warrantyPersistence } from './warranty';

export const intakeService: ServiceDefinition = {
  name: 'intake',
  title: 'aftersales intake: registry and service requests from every channel',
  defaultPort: 3001,
  entities: [
    ...requestsPersistence.entities,
    ...registryPersistence.entities,
    ...channelsPersistence.entities,
    ...knowledgePersistence.entities,
  ],
  migrations: [
    IntakeBaseline1700000000000,
    ...requestsPersistence.migrations,
    ...registryPersistence.migrations,
    ...channelsPersistence.migrations,
    ...knowledgePersistence.migrations,
    ...warrantyPersistence.migrations,
    ...agreementsPersistence.migrations,
    ...maintenancePersistence.migrations,
  ],
  module: IntakeModule,
  configSchema: intakeConfig.merge(maintenanceConfig).superRefine(smtpSecurityRule),
};
