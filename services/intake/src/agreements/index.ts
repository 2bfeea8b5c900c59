import { IntakeAgreements1700000015100 } from '../migrations/1700000015100-intake-agreements';

export * from './agreements.module';
export { AgreementRepository } from './agreement.repository';
export type { Agreement } from './agreement.repository';

export const agreementsPersistence = { entities: [] as Array<new () => unknown>, migrations: [IntakeAgreements1700000015100] };
