import { IntakeRegistry1700000000100 } from '../migrations/1700000000100-intake-registry';
import { registryEntities } from './registry.entities';

export * from './registry.entities';
export * from './registry-lookup';
export * from './registry.module';
export * from '../domain/warranty';

export const registryPersistence = { entities: [...registryEntities], migrations: [IntakeRegistry1700000000100] };
