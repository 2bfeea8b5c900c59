import { fromKafkaMessage, InvalidEnvelopeError, newEnvelope, toKafkaHeaders } from './envelope';
import { InvalidEventDataError, parseEventData, topicOf } from './events';

const caseId = '7b0c3d52-3f77-4a55-9a3e-2d9b7d5f0c11';

describe('CloudEvents envelope (Kafka binary mode)', () => {
  const env = newEnvelope({
    type: 'case.opened.v1',
    source: 'aftersales/case/north',
    subject: caseId,
    data: { caseNumber: 'NORTH-2026-000001' },
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    correlationId: 'c0ffee00-0000-4000-8000-000000000001',
  });

  it('carries every attribute in ce_* headers and the data as the JSON value', () => {
    const headers = toKafkaHeaders(env);
    expect(headers).toMatchObject({
      ce_id: env.id,
      ce_type: 'case.opened.v1',
      ce_source: 'aftersales/case/north',
      ce_subject: caseId,
      ce_specversion: '1.0',
      'content-type': 'application/json',
      traceparent: env.traceparent,
      'correlation-id': env.correlationId,
    });
    expect(headers['causation-id']).toBeUndefined();
    const back = fromKafkaMessage(
      Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)])),
      Buffer.from(JSON.stringify(env.data)),
    );
    expect(back).toEqual({ ...env, causationId: undefined });
  });

  it.each([
    ['a missing id', { ce_id: undefined }, /missing header ce_id/],
    ['an id that is not a uuid', { ce_id: 'x' }, /not a uuid/],
    ['a bad time', { ce_time: 'yesterday' }, /not a timestamp/],
    ['a missing type', { ce_type: undefined }, /ce_type/],
  ])('rejects %s', (_, override, reason) => {
    const headers: Record<string, string | undefined> = { ...toKafkaHeaders(env), ...override };
    expect(() => fromKafkaMessage(headers, Buffer.from('{}'))).toThrow(reason);
  });

  it('rejects a value that is not JSON, or none', () => {
    expect(() => fromKafkaMessage(toKafkaHeaders(env), Buffer.from('{oops'))).toThrow(InvalidEnvelopeError);
    expect(() => fromKafkaMessage(toKafkaHeaders(env), null)).toThrow(/empty value/);
  });
});

describe('event catalog', () => {
  it('maps each type to its topic', () => {
    expect(topicOf('intake.request.received.v1')).toBe('aftersales.intake.requests.v1');
    expect(topicOf('case.opened.v1')).toBe('aftersales.case.events.v1');
  });

  it('names the failing fields of invalid data', () => {
    try {
      parseEventData('escalation.clock.started.v1', { clockId: 'nope', severity: 'P9' });
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidEventDataError);
      const issues = (e as InvalidEventDataError).issues.join('\n');
      expect(issues).toMatch(/clockId/);
      expect(issues).toMatch(/severity/);
      expect(issues).toMatch(/caseId/);
    }
  });
});
