import { Module } from '@nestjs/common';
import { CasesController } from './cases/cases.controller';
import { CaseDiagnosis } from './cases/case-diagnosis.service';
import { CaseIntakeHandler } from './cases/case-intake.handler';
import { CaseMetrics } from './cases/case-metrics';
import { CaseUpstreamLog } from './cases/case-upstream-log.service';
import { CasesModule } from './cases/cases.module';
import { CasesService } from './cases/cases.service';
import { PartsWaitHandler } from './cases/parts-wait.handler';
import { SurveyComplaintHandler } from './cases/survey-complaint.handler';
import { DowntimeModule } from './downtime';
import { EngineersModule } from './engineers';
import { FieldModule } from './field';
import { inspectionControllers, inspectionProviders } from './inspections';
import { KnowledgeModule } from './knowledge';
import { LoansModule } from './loans';
import { MaintenanceRecordsModule } from './maintenance-records';
import { PaidRepairsModule } from './paid-repairs/paid-repairs.module';
import { ReportsModule } from './reports';

@Module({
  imports: [
    CasesModule,
    EngineersModule,
    FieldModule,
    KnowledgeModule,
    DowntimeModule,
    PaidRepairsModule,
    MaintenanceRecordsModule,
    ReportsModule,
    LoansModule,
  ],
  controllers: [CasesController, CaseIntakeHandler, SurveyComplaintHandler, PartsWaitHandler, ...inspectionControllers],
  providers: [CasesService, CaseDiagnosis, CaseUpstreamLog, CaseMetrics, ...inspectionProviders],
})
export class CaseModule {}
