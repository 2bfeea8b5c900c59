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
  // agreement_reminders: the reminder timer's bookkeeping; search_*, content: derived vectors and file bytes
  audit: {
    skipTables: ['agreement_reminders'],
    skipColumns: { knowledge_articles: ['search_a', 'search_b', 'search_c', 'search'], attachments: ['content'] },
  },
  configSchema: intakeConfig.merge(maintenanceConfig).superRefine(smtpSecurityRule),
};
