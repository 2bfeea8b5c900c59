import { ServiceRequest } from './service-request.entity';

export * from './requests.module';
export * from './requests.service';

export const requestsPersistence = { entities: [ServiceRequest] as Array<new () => unknown>, migrations: [] as Array<new () => unknown> };
