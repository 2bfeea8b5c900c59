import { Case } from './case.entity';

export const casesPersistence = { entities: [Case] as Array<new () => unknown>, migrations: [] as Array<new () => unknown> };
