import { Engineer } from '../engineers/engineer.entity';
import { CaseLifecycle1700000000100 } from '../migrations/1700000000100-case-lifecycle';
import { CaseDiagnosis1700000000400 } from '../migrations/1700000000400-case-diagnosis';
import { CaseListOrder1700000016100 } from '../migrations/1700000016100-case-list-order';
import { CaseTransition } from './case-history.entity';
import { Case } from './case.entity';
import { WorkLogEntry } from './work-log.entity';

export * from './cases.module';
export { CaseTransitions, SYSTEM_ACTOR } from './case-transitions.service';
export type { CaseActor, CaseGuard } from './case-transitions.service';
export { WorkLog } from './work-log.service';

export const casesPersistence = {
  entities: [Case, CaseTransition, WorkLogEntry, Engineer] as Array<new () => unknown>,
  migrations: [CaseLifecycle1700000000100, CaseDiagnosis1700000000400, CaseListOrder1700000016100] as Array<new () => unknown>,
};
