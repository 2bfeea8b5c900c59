import { Topics } from '@aftersales/contracts';
import { KafkaBus } from '@aftersales/messaging';
import {
  caseOpened,
  eventOf,
  KafkaMockCluster,
  mirrorInterregion,
  startKafkaMockCluster,
  startTestService,
  TestService,
  tokenFor,
  upstreamEvent,
  waitForHandled,
} from '@aftersales/testing';
import { sparesService } from '../src/spares.service-definition';

/**
 * Issue 16 item 5 over Kafka's wire protocol: two regions, each with its own Kafka cluster
 * (librdkafka's mock, through kcat), database schema and REGION; the interregion topic is copied
 * between the clusters as MirrorMaker 2 copies it (`north.aftersales.interregion.requests.v1` in
 * the south). A part asked by the north is held and approved in the south, and the answer reaches
 * the north through its consumer group on the mirrored topic.
 */
describe('a part asked across two Kafka clusters (spares north and south)', () => {
  const CONSUMER = { sessionTimeout: 6000, heartbeatInterval: 1000, maxWaitTimeInMs: 250 };
  const clusters: KafkaMockCluster[] = [];
  const buses: KafkaBus[] = [];
  let northBus: KafkaBus;
  let north: TestService;
  let south: TestService;
  let admin: string;

  beforeAll(async () => {
    const busOf = async (region: string) => {
      const cluster = await startKafkaMockCluster();
      clusters.push(cluster);
      const bus = new KafkaBus({
        brokers: cluster.brokers,
        clientId: `spares-${region}`,
        idempotent: false,
        consumer: CONSUMER,
        retryBackoffMs: [100],
        // group joins are routine here; warnings and errors still show
        logger: { log: () => undefined, warn: console.warn, error: console.error },
      });
      await bus.start();
      buses.push(bus);
      return bus;
    };
    northBus = await busOf('north');
    const southBus = await busOf('south');
    await mirrorInterregion({ region: 'north', bus: northBus }, { region: 'south', bus: southBus });
    const startIn = (region: 'north' | 'south', bus: KafkaBus) =>
      startTestService(sparesService, {
        bus,
        region,
        env: { SPARES_SWEEP_MS: '0', INTERREGION_PEERS: region === 'north' ? 'south' : 'north' },
      });
    [north, south] = await Promise.all([startIn('north', northBus), startIn('south', southBus)]);
    admin = await tokenFor('admin', { global: true });
    const part = {
      partNumber: 'CTRL-5500',
      description: 'controller',
      partClass: 'controller',
      compatibleModels: [],
      unitCost: '1.00',
      contractPrice: '2.00',
    };
    for (const t of [north, south]) expect((await t.http('POST', '/parts', { token: admin, body: part })).status).toBe(201);
    expect(
      (await south.http('POST', '/depots', { token: admin, body: { id: 'S-GZ', name: 'Guangzhou', region: 'south', home: true } })).status,
    ).toBe(201);
    expect(
      (await south.http('POST', '/depots/S-GZ/stock-in', { token: admin, body: { partNumber: 'CTRL-5500', quantity: 1, reason: 'stock' } }))
        .status,
    ).toBe(201);
  }, 120_000);

  afterAll(async () => {
    for (const t of [north, south]) await t?.stop();
    for (const b of buses) await b.close().catch(() => undefined);
    for (const c of clusters) await c.stop();
  });

  it('asks in the north, holds and approves in the south, and the north hears the answer', async () => {
    const c = caseOpened({ severity: 'P2' });
    await northBus.publish(Topics.caseEvents, [upstreamEvent('case.opened.v1', c.caseId, c)]);
    await waitForHandled(north, eventOf('case.opened.v1', { caseId: c.caseId }), { timeoutMs: 60_000 });

    const asked = await north.http('POST', '/part-asks', {
      token: admin,
      body: { caseId: c.caseId, toRegion: 'south', partNumber: 'CTRL-5500', quantity: 1 },
    });
    expect(asked.status).toBe(201);
    const askId = asked.body.id;
    await waitForHandled(south, eventOf('spares.part-ask.requested.v1', { askId }), { timeoutMs: 60_000 });
    const held = (await south.http('GET', `/part-asks/${askId}`, { token: admin })).body;
    expect(held).toMatchObject({ side: 'asked', state: 'requested', depotId: 'S-GZ' });

    const manager = await tokenFor('manager', { sub: 'mgr-south', region: 'south' });
    expect((await south.http('POST', `/part-requests/${held.requestId}/approve`, { token: manager, body: {} })).status).toBe(200);
    await waitForHandled(north, eventOf('spares.part-ask.answered.v1', { askId }), { timeoutMs: 60_000 });
    expect((await north.http('GET', `/part-asks/${askId}`, { token: admin })).body).toMatchObject({
      side: 'asking',
      state: 'approved',
      depotId: 'S-GZ',
    });
  }, 120_000);
});
