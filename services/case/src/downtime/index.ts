import { CaseDowntime1700000015000 } from '../migrations/1700000015000-case-downtime';
import { CaseDowntimeOrder1700000015400 } from '../migrations/1700000015400-case-downtime-order';

export * from './downtime.module';

export const downtimePersistence = {
  entities: [] as Array<new () => unknown>,
  migrations: [CaseDowntime1700000015000, CaseDowntimeOrder1700000015400] as Array<new () => unknown>,
};
