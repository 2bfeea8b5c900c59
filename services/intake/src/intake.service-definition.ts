import { ServiceDefinition } from '@aftersales/platform';
import { IntakeModule } from './intake.module';
import { ServiceRequest } from './requests/service-request.entity';
import { IntakeBaseline1700000000000 } from './migrations/1700000000000-intake-baseline';

export const intakeService: ServiceDefinition = {
  name: 'intake',
  title: 'aftersales intake: service requests from every channel',
  defaultPort: 3001,
  entities: [ServiceRequest],
  migrations: [IntakeBaseline1700000000000],
  module: IntakeModule,
};
