import { CaseEngineerLoans1700000016000 } from '../migrations/1700000016000-case-engineer-loans';

export * from './loans.module';

export const loansPersistence = {
  entities: [] as Array<new () => unknown>,
  migrations: [CaseEngineerLoans1700000016000],
};
