import './instrument'; // first: OpenTelemetry must patch http, express and pg before they load
import { runStandalone } from '@aftersales/platform';
import { notifyService } from './notify.service-definition';

void runStandalone(notifyService);
