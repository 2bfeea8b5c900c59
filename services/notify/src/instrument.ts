import { startTelemetry } from '@aftersales/observability';

startTelemetry('aftersales-notify');
