import { randomUUID } from 'node:crypto';
import { createServer, connect, Server, Socket } from 'node:net';
import { Outbox, OutboxRelay } from '@aftersales/messaging';
import { waitFor } from '@aftersales/testing';
import { messagingSchema, RecordingBus } from './messaging-fixture';

/**
 * A TCP proxy in front of PostgreSQL for the relay's LISTEN connection, which the test can cut
 * (every connection dropped, new ones refused) and restore: what a PostgreSQL restart looks like
 * from the relay.
 */
class CuttableProxy {
  private readonly sockets = new Set<Socket>();
  private cut = false;
  refused = 0;
  private server?: Server;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  async listen(): Promise<number> {
    this.server = createServer((client) => {
      if (this.cut) {
        this.refused++;
        client.destroy();
        return;
      }
      const upstream = connect(this.port, this.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined).on('close', () => this.sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', ok));
    return (this.server!.address() as { port: number }).port;
  }

  sever(): void {
    this.cut = true;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.cut = false;
  }

  close(): Promise<void> {
    this.sever();
    return new Promise((ok) => (this.server ? this.server.close(() => ok()) : ok()));
  }
}

describe('OutboxRelay when PostgreSQL goes away for longer than one reconnect try', () => {
  it('keeps trying to reconnect its listener, and publishes what was written meanwhile once it is back', async () => {
    const f = await messagingSchema('relayreconnect');
    const target = new URL(f.url);
    const proxy = new CuttableProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(f.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(await proxy.listen());
    const bus = new RecordingBus();
    const relay = new OutboxRelay({ dataSource: f.dataSource, databaseUrl: viaProxy.toString(), schema: f.schema, bus, pollMs: 50 });
    const outbox = new Outbox(f.schema, 'test/relay');
    const write = (template: string) =>
      f.dataSource.transaction((m) =>
        outbox.append(m, [
          {
            type: 'notify.notification.recorded.v1',
            aggregateType: 'case',
            aggregateId: randomUUID(),
            data: { notificationId: randomUUID(), region: 'north', template, channel: 'email', recipient: 'x@example.com' },
          },
        ]),
      );
    try {
      await relay.start();
      await write('before');
      await waitFor('the first event published', () => bus.published.length === 1 || undefined);

      proxy.sever();
      // the outage outlasts the relay's first reconnect: it is refused at least twice
      await waitFor('two refused reconnects', () => proxy.refused >= 2 || undefined, { timeoutMs: 10_000 });
      await write('during');
      proxy.restore();

      await waitFor('the event written during the outage published', () => bus.published.length === 2 || undefined, {
        timeoutMs: 15_000,
      });
      expect(bus.published.map((p) => (p.envelope.data as { template: string }).template)).toEqual(['before', 'during']);
    } finally {
      await relay.stop();
      await proxy.close();
      await f.drop();
    }
  });
});
