import type { NodeSDK } from '@opentelemetry/sdk-node';
import { NoopSpanProcessor, ParentBasedSampler, Sampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';

/** Share of new traces kept when no parent decided (OTEL_TRACES_SAMPLER_ARG, 0…1); children follow their parent. */
export const DEFAULT_TRACE_RATIO = 0.1;

/**
 * Parent-based ratio sampling: a trace started here is kept with probability `ratio`, a span
 * whose parent (an incoming traceparent, an event's producer span) was kept is kept too, so a
 * trace is whole or absent. OTEL_TRACES_SAMPLER, when set, takes over (the SDK reads it).
 */
export function traceSampler(env: NodeJS.ProcessEnv = process.env): Sampler | undefined {
  if (env.OTEL_TRACES_SAMPLER) return undefined;
  const ratio = Number(env.OTEL_TRACES_SAMPLER_ARG ?? DEFAULT_TRACE_RATIO);
  return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio >= 0 && ratio <= 1 ? ratio : DEFAULT_TRACE_RATIO) });
}

let sdk: NodeSDK | undefined;

/**
 * Must run before Nest, express or pg are imported, or nothing gets instrumented
 * (opentelemetry-js-contrib#1648): each service's main.ts imports its instrument.ts first.
 * Without OTEL_EXPORTER_OTLP_ENDPOINT spans are not exported, but trace context still flows
 * (HTTP headers → outbox row → event headers), so logs carry trace ids either way. Database
 * spans only exist under a request or an event: the outbox relay's, the firing loop's and the
 * scrape-time gauges' polling queries would otherwise be dozens of root traces a second at idle.
 * Without an endpoint (and no OTEL_TRACES_EXPORTER) the SDK would fall back to OTLP on
 * localhost:4318 and spend CPU on batches nobody receives, so sampled spans are dropped at their
 * end instead. Express middleware layers (body parsers, access log, audit scope) get no span of
 * their own, which each request paid for once per layer; the router and handler spans remain.
 */
export function startTelemetry(serviceName: string): void {
  if (sdk || process.env.OTEL_SDK_DISABLED === 'true') return;
  // the SDK and its instrumentations are loaded here, not at import: they are a third of what a
  // service takes to import, which every test file (one module registry each) would pay for nothing
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation, ExpressLayerType } =
    require('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { ATTR_SERVICE_NAME } = require('@opentelemetry/semantic-conventions') as typeof import('@opentelemetry/semantic-conventions');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: process.env.OTEL_SERVICE_NAME ?? serviceName }),
    traceExporter: endpoint ? new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }) : undefined,
    spanProcessors: endpoint || process.env.OTEL_TRACES_EXPORTER ? undefined : [new NoopSpanProcessor()],
    sampler: traceSampler(),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => /^\/(health|metrics)/.test(req.url ?? ''),
        // the services' own outgoing calls (JWKS, OTLP export) are not work anyone traces
        requireParentforOutgoingSpans: true,
      }),
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
}

export async function stopTelemetry(): Promise<void> {
  await sdk?.shutdown().catch(() => undefined);
  sdk = undefined;
}
