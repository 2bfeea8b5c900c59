import './instrument'; // first: OpenTelemetry must patch http, express and pg before they load
import { runStandalone } from '@aftersales/platform';
import { sparesService } from './spares.service-definition';

void runStandalone(sparesService);
