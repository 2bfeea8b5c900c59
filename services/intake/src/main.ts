import './instrument'; // first: OpenTelemetry must patch http, express and pg before they load
import { runStandalone } from '@aftersales/platform';
import { intakeService } from './intake.service-definition';

void runStandalone(intakeService);
