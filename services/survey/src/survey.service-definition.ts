import { ServiceDefinition } from '@aftersales/platform';
import { SurveyModule } from './survey.module';
import { surveyConfig } from './survey.config';
import { SurveyBaseline1700000000000 } from './migrations/1700000000000-survey-baseline';
import { SurveyLoop1700000000100 } from './migrations/1700000000100-survey-loop';
import { SurveyRegionCalendars1700000015600 } from './migrations/1700000015600-survey-region-calendars';

export const surveyService: ServiceDefinition = {
  name: 'survey',
  title: 'aftersales survey: weekly satisfaction surveys, callbacks and reports',
  defaultPort: 3005,
  entities: [],
  migrations: [SurveyBaseline1700000000000, SurveyLoop1700000000100, SurveyRegionCalendars1700000015600],
  module: SurveyModule,
  // survey_cases: the case facts survey keeps from case events (the case service audits them)
  audit: { skipTables: ['survey_cases'] },
  configSchema: surveyConfig,
};
