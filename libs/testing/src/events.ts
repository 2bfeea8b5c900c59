import { randomUUID } from 'node:crypto';
import { EventData, EventEnvelope, EventInput, EventType, parseEventData, newEnvelope, topicOf } from '@aftersales/contracts';
import { EventBus } from '@aftersales/messaging';

/** An event as another service would have published it. */
export function upstreamEvent<T extends EventType>(type: T, subject: string, data: EventData<T>): EventEnvelope<EventData<T>> {
  return newEnvelope({ type, source: 'aftersales/test/north', subject, data });
}

/** Delivers an event through the bus to the subscribed service(s); resolves once they committed it. */
export async function deliver<T extends EventType>(bus: EventBus, envelope: EventEnvelope<EventData<T>>): Promise<void> {
  await bus.publish(topicOf(envelope.type as T), [envelope]);
}

/** Records what a service publishes on a topic, as a downstream consumer would see it. */
export async function recordTopic(bus: EventBus, topic: string): Promise<EventEnvelope[]> {
  const seen: EventEnvelope[] = [];
  await bus.subscribe({
    group: `recorder.${topic}.${randomUUID()}`,
    topic,
    handle: (e) => {
      seen.push(e);
      return Promise.resolve();
    },
  });
  return seen;
}

export function requestReceived(over: Partial<EventInput<'intake.request.received.v1'>> = {}): EventData<'intake.request.received.v1'> {
  return parseEventData('intake.request.received.v1', {
    requestId: randomUUID(),
    region: 'north',
    customerId: 'C-100',
    contact: { name: 'Li Wei', email: 'li.wei@example.com' },
    channel: 'phone',
    severity: 'P2',
    symptom: 'storage array offline',
    errorCodes: ['E42'],
    serialNumber: 'SN-0001',
    receivedAt: new Date().toISOString(),
    ...over,
  });
}

/** A request as intake announces it, delivered to the subscribed service(s) (the case service opens its case); returns the request. */
export async function receiveRequest(
  bus: EventBus,
  over: Partial<EventInput<'intake.request.received.v1'>> = {},
): Promise<EventData<'intake.request.received.v1'>> {
  const request = requestReceived(over);
  await deliver(bus, upstreamEvent('intake.request.received.v1', request.requestId, request));
  return request;
}

export function caseOpened(over: Partial<EventInput<'case.opened.v1'>> = {}): EventData<'case.opened.v1'> {
  return parseEventData('case.opened.v1', {
    caseId: randomUUID(),
    caseNumber: 'NORTH-2026-000001',
    requestId: randomUUID(),
    region: 'north',
    customerId: 'C-100',
    contact: { name: 'Li Wei', email: 'li.wei@example.com' },
    severity: 'P2',
    symptom: 'storage array offline',
    serialNumber: 'SN-0001',
    openedAt: new Date().toISOString(),
    ...over,
  });
}
