import { CaseKnowledge1700000000300 } from '../migrations/1700000000300-case-knowledge';

export * from './knowledge.module';
export * from './knowledge.service';

export const knowledgePersistence = {
  entities: [] as Array<new () => unknown>,
  migrations: [CaseKnowledge1700000000300] as Array<new () => unknown>,
};
