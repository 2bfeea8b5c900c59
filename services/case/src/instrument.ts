import { startTelemetry } from '@aftersales/observability';

startTelemetry('aftersales-case');
