import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, TLSSocket } from 'node:tls';
import { KafkaBus, KafkaSasl, KafkaTls } from '@aftersales/messaging';

/**
 * Issue 16 item 2 without a Docker engine: the Kafka transport against a broker stand-in on
 * 127.0.0.1 that demands what a Strimzi listener demands — TLS with a client certificate signed by
 * the cluster CA, then SASL — and speaks just enough of the Kafka protocol (ApiVersions,
 * SaslHandshake, SaslAuthenticate) to see what the client sends. Certificates come from openssl.
 */
const API_VERSIONS = 18;
const SASL_HANDSHAKE = 17;
const SASL_AUTHENTICATE = 36;

interface Seen {
  tlsClient?: string;
  requests: number[];
  mechanism?: string;
  auth?: Buffer;
}

function int16(n: number) {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
}
function int32(n: number) {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}
const str = (s: string) => Buffer.concat([int16(Buffer.byteLength(s)), Buffer.from(s)]);

/** Answers one request; the header is apiKey, apiVersion, correlationId, clientId. */
function answer(apiKey: number, body: Buffer, seen: Seen): Buffer | undefined {
  if (apiKey === API_VERSIONS) {
    const apis: Array<[number, number, number]> = [
      [API_VERSIONS, 0, 2],
      [SASL_HANDSHAKE, 0, 1],
      [SASL_AUTHENTICATE, 0, 1],
      [3, 0, 5], // Metadata, so the client goes on
    ];
    return Buffer.concat([
      int16(0),
      int32(apis.length),
      ...apis.map(([k, a, b]) => Buffer.concat([int16(k), int16(a), int16(b)])),
      int32(0),
    ]);
  }
  if (apiKey === SASL_HANDSHAKE) {
    seen.mechanism = body.subarray(2, 2 + body.readInt16BE(0)).toString();
    return Buffer.concat([int16(0), int32(1), str(seen.mechanism)]);
  }
  if (apiKey === SASL_AUTHENTICATE) {
    seen.auth = body.subarray(4, 4 + body.readInt32BE(0));
    // refuse: what the client sent is all this test wants to see
    return Buffer.concat([int16(58), str('SASL authentication failed (test broker)'), int32(0), Buffer.alloc(8)]);
  }
  return undefined;
}

function speakKafka(socket: Socket, seen: Seen): void {
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 4 && buffered.length >= 4 + buffered.readInt32BE(0)) {
      const frame = buffered.subarray(4, 4 + buffered.readInt32BE(0));
      buffered = buffered.subarray(4 + frame.length);
      const apiKey = frame.readInt16BE(0);
      const correlationId = frame.readInt32BE(4);
      const clientIdLength = frame.readInt16BE(8);
      seen.requests.push(apiKey);
      const body = answer(apiKey, frame.subarray(10 + Math.max(0, clientIdLength)), seen);
      if (!body) return void socket.destroy();
      const response = Buffer.concat([int32(correlationId), body]);
      socket.write(Buffer.concat([int32(response.length), response]));
    }
  });
  socket.on('error', () => undefined);
}

describe('Kafka transport: TLS with a client certificate, SASL SCRAM-SHA-512 and PLAIN', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aftersales-kafka-tls-'));
  const pem = (name: string) => join(dir, name);
  const servers: Server[] = [];

  beforeAll(() => {
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    ssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=aftersales-test-cluster-ca',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
    );
    for (const [name, cn] of [
      ['broker', 'localhost'],
      ['user', 'aftersales-case'],
    ]) {
      ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
      writeFileSync(pem(`${name}.ext`), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
      ssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        '2',
        '-extfile',
        `${name}.ext`,
        '-out',
        `${name}.crt`,
      );
    }
    // a certificate of another CA: the broker must refuse it
    ssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=intruder',
      '-keyout',
      'other.key',
      '-out',
      'other.crt',
    );
  });

  afterAll(async () => {
    for (const s of servers) await new Promise((r) => s.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  /** A broker that requires TLS with a client certificate of the cluster CA. */
  async function tlsBroker(): Promise<{ port: number; seen: Seen; handshakeFailed: Promise<string> }> {
    const seen: Seen = { requests: [] };
    const server = createTlsServer(
      {
        key: readFileSync(pem('broker.key')),
        cert: readFileSync(pem('broker.crt')),
        ca: readFileSync(pem('ca.crt')),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (socket: TLSSocket) => {
        seen.tlsClient = String(socket.getPeerCertificate().subject?.CN);
        speakKafka(socket, seen);
      },
    );
    servers.push(server);
    const handshakeFailed = new Promise<string>((r) => server.once('tlsClientError', (e) => r(e.message)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { port: (server.address() as AddressInfo).port, seen, handshakeFailed };
  }

  /** Connects a bus (the producer's connect: ApiVersions, then SASL if set) and gives up after the broker answered. */
  async function connect(
    port: number,
    o: { tls?: KafkaTls; sasl?: KafkaSasl },
    until?: Promise<string>,
    boundMs = 20_000,
  ): Promise<string> {
    const bus = new KafkaBus({
      brokers: [`localhost:${port}`],
      clientId: 'aftersales-case-north',
      idempotent: false,
      ...o,
      logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
    });
    const outcome = await Promise.race([
      bus.start().then(
        () => 'connected',
        (e: Error) => e.message,
      ),
      ...(until ? [until] : []),
      new Promise<string>((r) => setTimeout(() => r(`nothing within ${boundMs} ms`), boundMs).unref()), // a bound, not a wait for an outcome
    ]);
    await bus.close().catch(() => undefined);
    return outcome;
  }

  const tls = (o: Partial<KafkaTls> = {}): KafkaTls => ({
    caFile: pem('ca.crt'),
    certFile: pem('user.crt'),
    keyFile: pem('user.key'),
    rejectUnauthorized: true,
    ...o,
  });

  it('speaks TLS, verifies the broker with the cluster CA, presents its client certificate, then SCRAM-SHA-512 as its user', async () => {
    const { port, seen } = await tlsBroker();
    await connect(port, { tls: tls(), sasl: { mechanism: 'scram-sha-512', username: 'aftersales-case', password: 's3cret' } });
    expect(seen.tlsClient).toBe('aftersales-case');
    expect(seen.requests.slice(0, 3)).toEqual([API_VERSIONS, SASL_HANDSHAKE, SASL_AUTHENTICATE]);
    expect(seen.mechanism).toBe('SCRAM-SHA-512');
    // RFC 5802 client-first message: no channel binding, the user name, a client nonce
    expect(seen.auth!.toString()).toMatch(/^n,,n=aftersales-case,r=[^,]+$/);
  }, 60_000);

  it('PLAIN sends the user and password inside the TLS session', async () => {
    const { port, seen } = await tlsBroker();
    const outcome = await connect(port, { tls: tls(), sasl: { mechanism: 'plain', username: 'aftersales-case', password: 's3cret' } });
    expect(seen.mechanism).toBe('PLAIN');
    expect(seen.auth!.toString()).toBe('\0aftersales-case\0s3cret');
    expect(outcome).toMatch(/SASL|authentication/i); // the broker refused: the client says so
  }, 60_000);

  it('a client certificate of another CA is refused by the broker; a broker the CA did not sign is refused by the client', async () => {
    const refused = await tlsBroker();
    const unsigned = await tlsBroker();
    // side by side: each close waits out kafkajs's connect retries (about 10 s) after the refusal.
    // Nothing may get through: a bound on a negative, not a wait for an outcome
    const [byBroker, byClient] = await Promise.all([
      connect(refused.port, { tls: tls({ certFile: pem('other.crt'), keyFile: pem('other.key') }) }, refused.handshakeFailed, 5000),
      connect(unsigned.port, { tls: tls({ caFile: pem('other.crt') }) }, unsigned.handshakeFailed, 5000),
    ]);
    expect(byBroker).not.toBe('connected');
    expect(refused.seen.tlsClient).toBeUndefined();
    expect(refused.seen.requests).toEqual([]);
    expect(byClient).not.toBe('connected');
    expect(unsigned.seen.requests).toEqual([]);
  }, 60_000);

  it('without TLS settings it speaks plaintext (what the chart sets unless kafka.tls is enabled)', async () => {
    const seen: Seen = { requests: [] };
    const server = createServer((socket) => speakKafka(socket, seen));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    await connect((server.address() as AddressInfo).port, { sasl: { mechanism: 'plain', username: 'u', password: 'p' } });
    expect(seen.requests.slice(0, 2)).toEqual([API_VERSIONS, SASL_HANDSHAKE]);
  }, 60_000);
});
