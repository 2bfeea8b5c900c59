import { ServiceDefinition } from '@aftersales/platform';
import { SurveyModule } from './survey.module';
import { SurveyCase } from './cases/survey-case.entity';
import { SurveyBaseline1700000000000 } from './migrations/1700000000000-survey-baseline';

export const surveyService: ServiceDefinition = {
  name: 'survey',
  title: 'aftersales survey: weekly satisfaction surveys, callbacks and reports',
  defaultPort: 3005,
  entities: [SurveyCase],
  migrations: [SurveyBaseline1700000000000],
  module: SurveyModule,
};
