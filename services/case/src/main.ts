import './instrument'; // first: OpenTelemetry must patch http, express and pg before they load
import { runStandalone } from '@aftersales/platform';
import { caseService } from './case.service-definition';

void runStandalone(caseService);
