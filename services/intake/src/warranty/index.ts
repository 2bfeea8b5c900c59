import { IntakeWarrantyLedger1700000015000 } from '../migrations/1700000015000-intake-warranty-ledger';

export * from './warranty.module';
export { WarrantyView } from './warranty-view';
export type { WarrantyLedgerView } from '@aftersales/contracts';

export const warrantyPersistence = { entities: [] as Array<new () => unknown>, migrations: [IntakeWarrantyLedger1700000015000] };
