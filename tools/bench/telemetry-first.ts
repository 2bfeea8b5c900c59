import { startTelemetry } from '@aftersales/observability';

// `--otel`: the instrumentation `npm start` runs with; it must load before Nest, express and pg
if (process.argv.includes('--otel')) startTelemetry('aftersales');
