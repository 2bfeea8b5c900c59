import { randomUUID } from 'node:crypto';

/**
 * A CloudEvent (Kafka binding, binary mode): attributes travel as `ce_*` headers,
 * the value is the JSON data. `id` is also the consumers' idempotency key.
 */
export interface EventEnvelope<T = unknown> {
  id: string;
  type: string;
  source: string;
  time: string;
  /** the aggregate id; also the Kafka message key, so one aggregate's events stay in order */
  subject: string;
  data: T;
  traceparent?: string;
  correlationId?: string;
  causationId?: string;
}

export class InvalidEnvelopeError extends Error {
  constructor(reason: string) {
    super(`invalid event envelope: ${reason}`);
    this.name = 'InvalidEnvelopeError';
  }
}

export function newEnvelope<T>(
  fields: Omit<EventEnvelope<T>, 'id' | 'time'> & Partial<Pick<EventEnvelope<T>, 'id' | 'time'>>,
): EventEnvelope<T> {
  return { id: fields.id ?? randomUUID(), time: fields.time ?? new Date().toISOString(), ...fields };
}

const HEADER = {
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  time: 'ce_time',
  subject: 'ce_subject',
  specversion: 'ce_specversion',
  contentType: 'content-type',
  traceparent: 'traceparent',
  correlationId: 'correlation-id',
  causationId: 'causation-id',
} as const;

export function toKafkaHeaders(e: EventEnvelope): Record<string, string> {
  const headers: Record<string, string> = {
    [HEADER.id]: e.id,
    [HEADER.type]: e.type,
    [HEADER.source]: e.source,
    [HEADER.time]: e.time,
    [HEADER.subject]: e.subject,
    [HEADER.specversion]: '1.0',
    [HEADER.contentType]: 'application/json',
  };
  if (e.traceparent) headers[HEADER.traceparent] = e.traceparent;
  if (e.correlationId) headers[HEADER.correlationId] = e.correlationId;
  if (e.causationId) headers[HEADER.causationId] = e.causationId;
  return headers;
}

type RawHeaders = Record<string, Buffer | string | undefined | (Buffer | string)[]> | undefined;

function header(headers: RawHeaders, name: string): string | undefined {
  const raw = headers?.[name];
  const v = Array.isArray(raw) ? raw[0] : raw;
  return v === undefined ? undefined : v.toString();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function fromKafkaMessage(headers: RawHeaders, value: Buffer | string | null): EventEnvelope {
  const required = (name: string): string => {
    const v = header(headers, name);
    if (!v) throw new InvalidEnvelopeError(`missing header ${name}`);
    return v;
  };
  const id = required(HEADER.id);
  if (!UUID.test(id)) throw new InvalidEnvelopeError(`${HEADER.id} is not a uuid`);
  const time = required(HEADER.time);
  if (Number.isNaN(Date.parse(time))) throw new InvalidEnvelopeError(`${HEADER.time} is not a timestamp`);
  if (value === null || value === undefined) throw new InvalidEnvelopeError('empty value');
  let data: unknown;
  try {
    data = JSON.parse(value.toString());
  } catch {
    throw new InvalidEnvelopeError('value is not JSON');
  }
  return {
    id,
    type: required(HEADER.type),
    source: required(HEADER.source),
    time,
    subject: required(HEADER.subject),
    data,
    traceparent: header(headers, HEADER.traceparent),
    correlationId: header(headers, HEADER.correlationId),
    causationId: header(headers, HEADER.causationId),
  };
}
