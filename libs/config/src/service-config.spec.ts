import { z } from 'zod';
import { ConfigError, loadServiceConfig } from './service-config';

const base = { JWT_SECRET: 'a-development-secret-123' };

function problemsOf(env: NodeJS.ProcessEnv): Array<{ variable: string; reason: string }> {
  try {
    loadServiceConfig('case', { port: 3002 }, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('service configuration', () => {
  it('applies defaults and the service schema', () => {
    const c = loadServiceConfig('case', { port: 3002 }, base);
    expect(c).toMatchObject({ port: 3002, region: 'local', database: { schema: 'case', poolSize: 10 }, logLevel: 'info' });
    expect(c.kafka).toBeUndefined();
  });

  it('parses Kafka brokers and the idempotence switch', () => {
    const c = loadServiceConfig('case', { port: 3002 }, { ...base, KAFKA_BROKERS: 'a:9092, b:9093', KAFKA_IDEMPOTENT: 'false' });
    expect(c.kafka).toEqual({ brokers: ['a:9092', 'b:9093'], clientId: 'aftersales-case', idempotent: false, sessionTimeoutMs: 30000 });
  });

  it('parses Kafka TLS (CA, client certificate from files) and SASL SCRAM-SHA-512', () => {
    const c = loadServiceConfig(
      'case',
      { port: 3002 },
      {
        ...base,
        KAFKA_BROKERS: 'kafka:9093',
        KAFKA_TLS_CA_FILE: '/etc/kafka/ca/ca.crt',
        KAFKA_TLS_CERT_FILE: '/etc/kafka/user/user.crt',
        KAFKA_TLS_KEY_FILE: '/etc/kafka/user/user.key',
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'aftersales-case',
        KAFKA_SASL_PASSWORD_FILE: '/etc/kafka/user/password',
      },
    );
    expect(c.kafka!.tls).toEqual({
      caFile: '/etc/kafka/ca/ca.crt',
      certFile: '/etc/kafka/user/user.crt',
      keyFile: '/etc/kafka/user/user.key',
      rejectUnauthorized: true,
    });
    expect(c.kafka!.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'aftersales-case', passwordFile: '/etc/kafka/user/password' });
    // TLS with the system's CAs only, and PLAIN
    const plain = loadServiceConfig(
      'case',
      { port: 3002 },
      {
        ...base,
        KAFKA_BROKERS: 'kafka:9093',
        KAFKA_TLS: 'true',
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
      },
    );
    expect(plain.kafka).toMatchObject({ tls: { rejectUnauthorized: true }, sasl: { mechanism: 'plain', username: 'u', password: 'p' } });
    expect(loadServiceConfig('case', { port: 3002 }, { ...base, KAFKA_BROKERS: 'kafka:9092' }).kafka!.tls).toBeUndefined();
  });

  it('names the Kafka TLS and SASL variables that do not go together', () => {
    const problems = problemsOf({
      ...base,
      KAFKA_BROKERS: 'kafka:9093',
      KAFKA_TLS: 'false',
      KAFKA_TLS_CERT_FILE: '/c',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'p',
    });
    expect(problems.map((p) => p.variable).sort()).toEqual(['KAFKA_SASL_MECHANISM', 'KAFKA_TLS', 'KAFKA_TLS_KEY_FILE']);
    expect(problemsOf({ ...base, KAFKA_SASL_MECHANISM: 'scram-sha-512' }).map((p) => p.variable)).toEqual([
      'KAFKA_SASL_USERNAME',
      'KAFKA_SASL_PASSWORD',
    ]);
    expect(problemsOf({ ...base, KAFKA_SASL_MECHANISM: 'gssapi' }).map((p) => p.variable)).toEqual(['KAFKA_SASL_MECHANISM']);
  });

  it('names each bad variable and why', () => {
    const problems = problemsOf({ ...base, PORT: 'eighty', DATABASE_URL: 'mysql://x/y', KAFKA_BROKERS: 'nohost', LOG_LEVEL: 'loud' });
    const vars = problems.map((p) => p.variable).sort();
    expect(vars).toEqual(['DATABASE_URL', 'KAFKA_BROKERS', 'LOG_LEVEL', 'PORT']);
    expect(problems.find((p) => p.variable === 'DATABASE_URL')!.reason).toMatch(/postgres/);
    expect(problems.find((p) => p.variable === 'KAFKA_BROKERS')!.reason).toMatch(/host:port/);
  });

  it('requires a JWT secret or a JWKS URL', () => {
    expect(problemsOf({})).toEqual([{ variable: 'JWT_SECRET', reason: expect.stringMatching(/JWT_JWKS_URL/) }]);
    expect(problemsOf({ JWT_SECRET: 'short' })[0]).toMatchObject({ variable: 'JWT_SECRET', reason: expect.stringMatching(/16/) });
    expect(loadServiceConfig('case', { port: 1 }, { JWT_JWKS_URL: 'https://idp.example/jwks' }).auth.jwksUrl).toBe(
      'https://idp.example/jwks',
    );
  });

  it('prints every problem in the error message', () => {
    expect(() => loadServiceConfig('case', { port: 1 }, { ...base, REGION: 'North Region' })).toThrow(/REGION: lowercase/);
  });
});

describe("a service's own variables", () => {
  const own = z.object({
    CASE_ASSIGN_RETRY_MS: z.coerce.number().int().min(0).default(60_000),
    CASE_MODE: z.enum(['a', 'b']).default('a'),
  });

  it('are parsed with their defaults into settings', () => {
    expect(loadServiceConfig('case', { port: 3002 }, { ...base, CASE_ASSIGN_RETRY_MS: '500' }, own).settings).toEqual({
      CASE_ASSIGN_RETRY_MS: 500,
      CASE_MODE: 'a',
    });
  });

  it('are named with the shared ones when wrong, in one report', () => {
    let problems: Array<{ variable: string }> = [];
    try {
      loadServiceConfig('case', { port: 3002 }, { ...base, LOG_LEVEL: 'loud', CASE_ASSIGN_RETRY_MS: '-1', CASE_MODE: 'c' }, own);
    } catch (e) {
      if (e instanceof ConfigError) problems = e.problems;
    }
    expect(problems.map((p) => p.variable).sort()).toEqual(['CASE_ASSIGN_RETRY_MS', 'CASE_MODE', 'LOG_LEVEL']);
  });
});
