import { IntakeRequests1700000000200 } from '../migrations/1700000000200-intake-requests';
import { ServiceRequest } from './service-request.entity';

export * from './handoff-watch';
export * from './requests.module';
export * from './requests.service';
export * from './service-request.entity';
export * from '../domain/triage';

export const requestsPersistence = {
  entities: [ServiceRequest] as Array<new () => unknown>,
  migrations: [IntakeRequests1700000000200] as Array<new () => unknown>,
};
