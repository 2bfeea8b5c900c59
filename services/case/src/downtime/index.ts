import { CaseDowntime1700000015000 } from '../migrations/1700000015000-case-downtime';

export * from './downtime.module';

export const downtimePersistence = {
  entities: [] as Array<new () => unknown>,
  migrations: [CaseDowntime1700000015000] as Array<new () => unknown>,
};
