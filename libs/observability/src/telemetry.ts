import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
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
