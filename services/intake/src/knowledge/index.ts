import { IntakeKnowledge1700000000400 } from '../migrations/1700000000400-intake-knowledge';

export * from './knowledge.module';
export * from './knowledge-suggestions';

export const knowledgePersistence = {
  entities: [] as Array<new () => unknown>,
  migrations: [IntakeKnowledge1700000000400] as Array<new () => unknown>,
};
