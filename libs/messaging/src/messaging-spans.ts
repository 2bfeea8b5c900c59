import { context, propagation, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { EventEnvelope } from '@aftersales/contracts';
import { errorMessage } from './error-message';

/**
 * Spans of the OpenTelemetry messaging conventions (`publish <topic>` PRODUCER, `process
 * <topic>` CONSUMER): one trace goes from the request that appended an event, through its
 * publication by the outbox relay, to every service that handled it, each named.
 */
const tracer = () => trace.getTracer('aftersales-messaging');

export const messagingSystem = (busKind: 'kafka' | 'in-process') => (busKind === 'kafka' ? 'kafka' : 'aftersales_in_process');

const parentOf = (envelope: EventEnvelope) =>
  propagation.extract(ROOT_CONTEXT, envelope.traceparent ? { traceparent: envelope.traceparent } : {});

/**
 * A producer span per event, child of the context the event was appended in; the envelope that
 * goes on the bus carries the producer span as its parent, so consumers hang under it.
 */
export function startPublishSpans(
  topic: string,
  envelopes: EventEnvelope[],
  o: { service?: string; busKind: 'kafka' | 'in-process' },
): { envelopes: EventEnvelope[]; end(error?: unknown): void } {
  const spans: Span[] = [];
  const out = envelopes.map((envelope) => {
    const parent = parentOf(envelope);
    const span = tracer().startSpan(
      `publish ${topic}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': messagingSystem(o.busKind),
          'messaging.operation.type': 'publish',
          'messaging.destination.name': topic,
          'messaging.message.id': envelope.id,
          'messaging.kafka.message.key': envelope.subject,
          'cloudevents.event_type': envelope.type,
          ...(o.service ? { 'aftersales.service': o.service } : {}),
        },
      },
      parent,
    );
    spans.push(span);
    const carrier: { traceparent?: string } = {};
    propagation.inject(trace.setSpan(parent, span), carrier);
    return carrier.traceparent ? { ...envelope, traceparent: carrier.traceparent } : envelope;
  });
  return {
    envelopes: out,
    end(error?: unknown) {
      for (const s of spans) {
        if (error) s.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
        s.end();
      }
    },
  };
}

/** Runs `fn` in a consumer span, child of the event's producer span, naming the consuming service and group. */
export function inProcessSpan<T>(
  topic: string,
  envelope: EventEnvelope,
  o: { service: string; busKind: 'kafka' | 'in-process' },
  fn: () => Promise<T>,
): Promise<T> {
  return context.with(parentOf(envelope), () =>
    tracer().startActiveSpan(
      `process ${topic}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': messagingSystem(o.busKind),
          'messaging.operation.type': 'process',
          'messaging.destination.name': topic,
          'messaging.consumer.group.name': `${o.service}.${topic}`,
          'messaging.message.id': envelope.id,
          'cloudevents.event_type': envelope.type,
          'aftersales.service': o.service,
        },
      },
      async (span) => {
        try {
          return await fn();
        } catch (e) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(e) });
          throw e;
        } finally {
          span.end();
        }
      },
    ),
  );
}
