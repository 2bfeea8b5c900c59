import { Module } from '@nestjs/common';
import { CalendarProjectionHandler, RegionCalendars } from './calendars/region-calendars';
import { CallbackOverdueHandler } from './callbacks/callback-overdue.handler';
import { CallbacksController } from './callbacks/callbacks.controller';
import { CallbacksRepository } from './callbacks/callbacks.repository';
import { CallbacksService } from './callbacks/callbacks.service';
import { CaseProjectionHandler } from './cases/case-projection.handler';
import { SurveyCasesController } from './cases/survey-cases.controller';
import { SurveyCasesRepository } from './cases/survey-cases.repository';
import { ExclusionRulesController } from './exclusions/exclusion-rules.controller';
import { ExclusionRulesRepository } from './exclusions/exclusion-rules.repository';
import { PeriodsController } from './periods/periods.controller';
import { PeriodsRepository } from './periods/periods.repository';
import { ReportsController } from './reports/reports.controller';
import { ReportsService } from './reports/reports.service';
import { SurveyMetrics } from './shared/survey-metrics';
import { AnswerLinkController } from './surveys/answer-link.controller';
import { AnswersService } from './surveys/answers.service';
import { BatchesController } from './surveys/batches.controller';
import { BatchesRepository } from './surveys/batches.repository';
import { SurveyBatch } from './surveys/survey-batch';
import { SurveysController } from './surveys/surveys.controller';
import { SurveysRepository } from './surveys/surveys.repository';

@Module({
  controllers: [
    SurveyCasesController,
    CaseProjectionHandler,
    CalendarProjectionHandler,
    ExclusionRulesController,
    BatchesController,
    SurveysController,
    AnswerLinkController,
    CallbacksController,
    CallbackOverdueHandler,
    PeriodsController,
    ReportsController,
  ],
  providers: [
    SurveyMetrics,
    RegionCalendars,
    SurveyCasesRepository,
    ExclusionRulesRepository,
    BatchesRepository,
    SurveysRepository,
    CallbacksRepository,
    PeriodsRepository,
    SurveyBatch,
    AnswersService,
    CallbacksService,
    ReportsService,
  ],
})
export class SurveyModule {}
