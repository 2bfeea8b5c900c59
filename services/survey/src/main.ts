import './instrument'; // first: OpenTelemetry must patch http, express and pg before they load
import { runStandalone } from '@aftersales/platform';
import { surveyService } from './survey.service-definition';

void runStandalone(surveyService);
