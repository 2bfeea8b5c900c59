import { createHash } from 'node:crypto';
import { context, ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { JsonLogger } from './logger';
import { DEFAULT_TRACE_RATIO, traceSampler } from './telemetry';

describe('trace sampling', () => {
  const decide = (ratio: string | undefined, parent?: { sampled: boolean }, traceId = 'ffffffffffffffffffffffffffffffff') => {
    const ctx = parent
      ? trace.setSpanContext(ROOT_CONTEXT, {
          traceId,
          spanId: '00f067aa0ba902b7',
          traceFlags: parent.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
          isRemote: true,
        })
      : ROOT_CONTEXT;
    return traceSampler(ratio === undefined ? {} : { OTEL_TRACES_SAMPLER_ARG: ratio })!.shouldSample(
      ctx,
      traceId,
      'x',
      SpanKind.SERVER,
      {},
      [],
    ).decision;
  };

  it('follows the parent: a trace that came in sampled stays sampled, one that came in dropped stays dropped', () => {
    expect(decide('0', { sampled: true })).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide('1', { sampled: false })).toBe(SamplingDecision.NOT_RECORD);
  });

  it('keeps the configured share of new traces (by trace id), 10 % unless told', () => {
    expect(decide('1')).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide('0')).toBe(SamplingDecision.NOT_RECORD);
    expect(DEFAULT_TRACE_RATIO).toBe(0.1);
    const ids = Array.from({ length: 2000 }, (_, i) => createHash('sha256').update(String(i)).digest('hex').slice(0, 32));
    const kept = ids.filter((id) => decide(undefined, undefined, id) === SamplingDecision.RECORD_AND_SAMPLED).length;
    expect(kept / ids.length).toBeGreaterThan(0.07);
    expect(kept / ids.length).toBeLessThan(0.13);
  });

  it('leaves the choice to the SDK when OTEL_TRACES_SAMPLER names one', () => {
    expect(traceSampler({ OTEL_TRACES_SAMPLER: 'always_on' })).toBeUndefined();
  });
});

describe('JSON log lines', () => {
  it('carry trace_id and span_id of the active span; the access line names method, route template, status and duration', () => {
    const lines: string[] = [];
    const log = new JsonLogger({ service: 'case', region: 'north' }, 'info', (l) => lines.push(l));
    const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED };
    const span = trace.wrapSpanContext(spanContext);
    // a real context manager, as the SDK registers: the span is active inside `with` only
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    try {
      context.with(trace.setSpan(context.active(), span), () =>
        log.access({ method: 'GET', route: '/cases/:id', status: 404, durationMs: 3.14159 }),
      );
      log.log('outside any request');
    } finally {
      context.disable();
    }
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'info',
      service: 'case',
      context: 'http',
      msg: 'GET /cases/:id 404 3.1 ms',
      http: { method: 'GET', route: '/cases/:id', status: 404, duration_ms: 3.1 },
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      span_id: 'b7ad6b7169203331',
    });
    expect(JSON.parse(lines[1]!).trace_id).toBeUndefined();
  });
});
