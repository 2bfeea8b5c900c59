export * from './knowledge.module';

export const knowledgePersistence = { entities: [] as Array<new () => unknown>, migrations: [] as Array<new () => unknown> };
