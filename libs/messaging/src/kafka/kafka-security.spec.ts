import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaSecurity, KafkaSecurityError } from './kafka-security';

describe('the TLS and SASL options kafkajs gets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aftersales-kafka-security-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('nothing set: plaintext, no SASL', () => {
    expect(kafkaSecurity({})).toEqual({});
  });

  it('mTLS from mounted Secret files: the CA, the client certificate and key, checked server name', () => {
    const o = kafkaSecurity({
      tls: {
        caFile: file('ca.crt', 'CA PEM'),
        certFile: file('user.crt', 'CERT PEM'),
        keyFile: file('user.key', 'KEY PEM'),
        keyPassword: 'k',
        rejectUnauthorized: true,
        servername: 'kafka.north.example',
      },
    });
    expect(o.sasl).toBeUndefined();
    expect({ ...o.ssl, ca: (o.ssl!.ca as Buffer[]).map(String), cert: String(o.ssl!.cert), key: String(o.ssl!.key as Buffer) }).toEqual({
      ca: ['CA PEM'],
      cert: 'CERT PEM',
      key: 'KEY PEM',
      passphrase: 'k',
      rejectUnauthorized: true,
      servername: 'kafka.north.example',
    });
  });

  it('TLS with the system CAs only, and SCRAM-SHA-512 with the password from a Secret file (its trailing newline dropped)', () => {
    const o = kafkaSecurity({
      tls: { rejectUnauthorized: true },
      sasl: { mechanism: 'scram-sha-512', username: 'aftersales-case', passwordFile: file('password', 's3cret\n') },
    });
    expect(o).toEqual({
      ssl: { rejectUnauthorized: true },
      sasl: { mechanism: 'scram-sha-512', username: 'aftersales-case', password: 's3cret' },
    });
  });

  it('PLAIN with the password from the environment', () => {
    expect(kafkaSecurity({ sasl: { mechanism: 'plain', username: 'u', password: 'p' } })).toEqual({
      sasl: { mechanism: 'plain', username: 'u', password: 'p' },
    });
  });

  it('a file that cannot be read fails naming its variable', () => {
    const missing = () => kafkaSecurity({ tls: { caFile: join(dir, 'nope.crt'), rejectUnauthorized: true } });
    expect(missing).toThrow(KafkaSecurityError);
    expect(missing).toThrow(/^KAFKA_TLS_CA_FILE: cannot read .*nope\.crt \(ENOENT\)$/);
    expect(() => kafkaSecurity({ sasl: { mechanism: 'plain', username: 'u', passwordFile: join(dir, 'nope') } })).toThrow(
      /KAFKA_SASL_PASSWORD_FILE/,
    );
  });
});
