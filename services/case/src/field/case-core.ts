// The case core (lifecycle, transitions, work log) as field work uses it: one place to follow its file names.
export { CaseTransitions } from '../cases/case-transitions.service';
export { WorkLog } from '../cases/work-log.service';
export { CasesModule } from '../cases/cases.module';
export { actingRole } from '../domain/case-lifecycle';
