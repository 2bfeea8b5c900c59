import { Module } from '@nestjs/common';
import { CaseTransitions } from './case-transitions.service';
import { WorkLog } from './work-log.service';

/** The case core other modules build on: lifecycle transitions (with their guards) and the work log. */
@Module({ providers: [WorkLog, CaseTransitions], exports: [WorkLog, CaseTransitions] })
export class CasesModule {}
