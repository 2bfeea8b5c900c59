export * from './field.module';

export const fieldPersistence = { entities: [] as Array<new () => unknown>, migrations: [] as Array<new () => unknown> };
