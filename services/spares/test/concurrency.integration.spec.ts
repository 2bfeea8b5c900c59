import { InProcessBus } from '@aftersales/messaging';
import { selectOne, selectRows } from '@aftersales/persistence';
import { ManualClock } from '@aftersales/platform';
import { startTestService, TestService, tokenFor } from '@aftersales/testing';
import { sparesService } from '../src/spares.service-definition';

const DAY = 86_400_000;

/**
 * Issue 14's concurrency must-show: the last 5 units of a part asked for by 100 requests at once
 * give exactly 5 reservations and 95 "out of stock" answers naming the next-best depot and its
 * date; stock never goes negative nor reserved above on hand — on one replica, and on two
 * replicas sharing one schema.
 */
describe('never oversell: 100 parallel requests for the last 5 units (real PostgreSQL)', () => {
  const clock = new ManualClock('2026-03-02T08:00:00Z');
  let a: TestService;
  let b: TestService;
  let engineer: string;
  let admin: string;

  beforeAll(async () => {
    a = await startTestService(sparesService, { bus: new InProcessBus(), clock, env: { SPARES_SWEEP_MS: '0', DB_POOL_SIZE: '10' } });
    // a second replica on the same schema, with its own bus (only the database is shared)
    b = await startTestService(sparesService, {
      bus: new InProcessBus(),
      clock,
      schema: a.schema,
      env: { SPARES_SWEEP_MS: '0', DB_POOL_SIZE: '10' },
    });
    [engineer, admin] = await Promise.all([
      tokenFor('engineer', { sub: 'eng-north', region: 'north' }),
      tokenFor('admin', { global: true }),
    ]);
    const ok = async (path: string, body: unknown) => {
      const res = await a.http('POST', path, { token: admin, body });
      expect({ path, status: res.status, body: res.body }).toMatchObject({ path, status: 201 });
    };
    await ok('/parts', {
      partNumber: 'PSU-750',
      description: '750 W power supply',
      partClass: 'power',
      unitCost: '90',
      contractPrice: '150',
    });
    await ok('/depots', { id: 'N-BJ', name: 'Beijing', region: 'north', home: true });
    await ok('/depots', { id: 'N-TJ', name: 'Tianjin', region: 'north' });
    await ok('/depots', { id: 'S-GZ', name: 'Guangzhou', region: 'south', home: true });
    await ok('/depots/N-BJ/stock-in', { partNumber: 'PSU-750', quantity: 5 });
    // the south has none on hand but 20 arriving in 3 days: with 2 days' transfer, the soonest anywhere
    await ok('/depots/S-GZ/inbound', {
      partNumber: 'PSU-750',
      quantity: 20,
      expectedAt: new Date(clock.now().getTime() + 3 * DAY).toISOString(),
    });
  }, 90_000);

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  const stock = () =>
    selectRows<{ depot_id: string; on_hand: number; reserved: number; in_transit: number; defective: number }>(
      a.service.runtime.dataSource,
      `SELECT depot_id, on_hand, reserved, in_transit, defective FROM "${a.schema}".stock ORDER BY depot_id`,
    );
  const requests = async () =>
    (await selectOne<{ n: number }>(a.service.runtime.dataSource, `SELECT count(*)::int AS n FROM "${a.schema}".part_requests`))?.n;

  function replicaOf(replicas: TestService[], i: number): TestService {
    const r = replicas[i % replicas.length];
    if (!r) throw new Error('a race needs at least one replica');
    return r;
  }

  async function race(replicas: TestService[]) {
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        replicaOf(replicas, i).http('POST', '/part-requests', {
          token: engineer,
          body: { partNumber: 'PSU-750', quantity: 1, severity: 'P2' },
        }),
      ),
    );
    const byStatus = new Map<number, number>();
    for (const r of answers) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    return { answers, byStatus: Object.fromEntries(byStatus) };
  }

  function expectClearOutOfStock(answers: Array<{ status: number; body: any }>) {
    const earliestAt = new Date(clock.now().getTime() + 5 * DAY).toISOString();
    for (const r of answers.filter((x) => x.status === 409)) {
      expect(r.body).toEqual({
        statusCode: 409,
        message: `out of stock: no depot can give 1 × PSU-750 now; next best: depot S-GZ (south), from ${earliestAt}`,
        errors: [
          {
            field: 'quantity',
            reason: `out of stock: no depot can give 1 × PSU-750 now; next best: depot S-GZ (south), from ${earliestAt}`,
          },
        ],
        outOfStock: true,
        nextBest: { depotId: 'S-GZ', region: 'south', available: 0, earliestAt },
      });
    }
  }

  it('one replica: exactly 5 reserved at the home depot, 95 out of stock naming the south depot and its date', async () => {
    const { answers, byStatus } = await race([a]);
    expect(byStatus).toEqual({ 201: 5, 409: 95 });
    for (const r of answers.filter((x) => x.status === 201))
      expect(r.body).toMatchObject({ state: 'reserved', depotId: 'N-BJ', crossRegion: false });
    expectClearOutOfStock(answers);
    expect(await stock()).toEqual([
      { depot_id: 'N-BJ', on_hand: 5, reserved: 5, in_transit: 0, defective: 0 },
      { depot_id: 'S-GZ', on_hand: 0, reserved: 0, in_transit: 20, defective: 0 },
    ]);
    expect(await requests()).toBe(5);
  });

  it('two replicas on one schema: again exactly 5 of 100, the other 95 out of stock', async () => {
    const more = await b.http('POST', '/depots/N-BJ/stock-in', { token: admin, body: { partNumber: 'PSU-750', quantity: 5 } });
    expect(more.body).toMatchObject({ onHand: 10, reserved: 5, available: 5 });
    const { answers, byStatus } = await race([a, b]);
    expect(byStatus).toEqual({ 201: 5, 409: 95 });
    // each replica took 50 of the requests and turned away at least 45 of them
    const refused = (replica: number) => answers.filter((r, i) => i % 2 === replica && r.status === 409).length;
    expect(refused(0)).toBeGreaterThanOrEqual(45);
    expect(refused(1)).toBeGreaterThanOrEqual(45);
    expectClearOutOfStock(answers);
    expect(await stock()).toEqual([
      { depot_id: 'N-BJ', on_hand: 10, reserved: 10, in_transit: 0, defective: 0 },
      { depot_id: 'S-GZ', on_hand: 0, reserved: 0, in_transit: 20, defective: 0 },
    ]);
    expect(await requests()).toBe(10);
  });

  it('counts every stock-out, and the database itself refuses a negative or overcommitted row (CHECK constraints)', async () => {
    const metrics = (await a.http('GET', '/metrics')).body as string;
    // replica a answered all 95 of the first race and about half of the second
    const stockouts = Number(/aftersales_spares_stockouts_total\{[^}]*part_class="power"[^}]*\} (\d+)/.exec(metrics)?.[1]);
    expect(stockouts).toBeGreaterThanOrEqual(95);
    const ds = a.service.runtime.dataSource;
    await expect(ds.query(`UPDATE "${a.schema}".stock SET reserved = on_hand + 1 WHERE depot_id = 'N-BJ'`)).rejects.toMatchObject({
      code: '23514',
    });
    await expect(ds.query(`UPDATE "${a.schema}".stock SET on_hand = -1, reserved = 0 WHERE depot_id = 'S-GZ'`)).rejects.toMatchObject({
      code: '23514',
    });
    const [{ bad }] = await ds.query(
      `SELECT count(*)::int AS bad FROM "${a.schema}".stock WHERE on_hand < 0 OR reserved < 0 OR reserved > on_hand OR in_transit < 0 OR defective < 0`,
    );
    expect(bad).toBe(0);
  });
});
