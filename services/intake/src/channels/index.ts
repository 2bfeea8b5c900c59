export * from './channels.module';

export const channelsPersistence = { entities: [] as Array<new () => unknown>, migrations: [] as Array<new () => unknown> };
