import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventEnvelope, newEnvelope } from '@aftersales/contracts';
import { EventBusServer, InProcessBus } from '@aftersales/messaging';

describe('trace context across the bus', () => {
  const exporter = new InMemorySpanExporter();
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  });
  afterAll(() => {
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('runs the handler in the trace of the event that caused it, so one trace spans the flow', async () => {
    const seen: Array<{ traceId?: string }> = [];
    @Controller()
    class Handler {
      @EventPattern('case.opened.v1')
      async on(@Payload() _e: EventEnvelope) {
        seen.push({ traceId: trace.getActiveSpan()?.spanContext().traceId });
      }
    }
    @Module({ controllers: [Handler] })
    class M {}
    const bus = new InProcessBus();
    const app = await NestFactory.createMicroservice(M, { strategy: new EventBusServer(bus, 'tracetest'), logger: false });
    await app.listen();
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const data = {
      caseId: '7b0c3d52-3f77-4a55-9a3e-2d9b7d5f0c11',
      caseNumber: 'N-1',
      requestId: '7b0c3d52-3f77-4a55-9a3e-2d9b7d5f0c12',
      region: 'north',
      customerId: 'C-1',
      contact: { name: 'Li' },
      severity: 'P2',
      symptom: 's',
      openedAt: new Date().toISOString(),
    };
    await bus.publish('aftersales.case.events.v1', [
      newEnvelope({ type: 'case.opened.v1', source: 't', subject: data.caseId, data, traceparent: `00-${traceId}-b7ad6b7169203331-01` }),
    ]);
    expect(seen).toEqual([{ traceId }]);
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(1);
    const span = spans[0]!;
    expect(span.name).toBe('process aftersales.case.events.v1');
    expect(span.spanContext().traceId).toBe(traceId);
    expect(span.attributes).toMatchObject({
      'messaging.operation.type': 'process',
      'messaging.consumer.group.name': 'tracetest.aftersales.case.events.v1',
      'aftersales.service': 'tracetest',
    });
    await app.close();
  });
});
