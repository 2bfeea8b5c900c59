import './instrument'; // first: OpenTelemetry must patch http, express and pg before they load
import { runStandalone } from '@aftersales/platform';
import { escalationService } from './escalation.service-definition';

void runStandalone(escalationService);
