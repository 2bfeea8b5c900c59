import { EventEnvelope } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { deliver, outboxRelayed, recordTopic, startTestService, TestService, tokenFor, upstreamEvent, waitFor } from '@aftersales/testing';
import { SparesSweeper } from '../src/sweeper';
import { sparesService } from '../src/spares.service-definition';

const DAY = 86_400_000;

/**
 * The catalog's CSV import (rejected rows by line and why), region scoping of depots and requests,
 * low stock (event and metric once per crossing), the daily per-depot report (once per depot and
 * day, across replicas) and overdue returns flagged by the sweep or by escalation's deadline.
 */
describe('catalog import, scoping, low stock, daily report, overdue returns (real PostgreSQL)', () => {
  const clock = new ManualClock('2026-03-02T08:00:00Z');
  let t: TestService;
  let replica: TestService;
  let events: EventEnvelope[];
  let admin: string;
  let engineer: string;
  let southEngineer: string;

  beforeAll(async () => {
    const bus = new InProcessBus({ retryBackoffMs: [10] });
    events = await recordTopic(bus, 'aftersales.spares.events.v1');
    t = await startTestService(sparesService, { bus, clock, env: { SPARES_SWEEP_MS: '0', SPARES_RETURN_DAYS: '5' } });
    replica = await startTestService(sparesService, {
      bus: new InProcessBus(),
      clock,
      schema: t.schema,
      env: { SPARES_SWEEP_MS: '0', SPARES_RETURN_DAYS: '5' },
    });
    // one relay publishes the shared outbox, onto the bus the test listens to
    await replica.service.stopRelay();
    [admin, engineer, southEngineer] = await Promise.all([
      tokenFor('admin', { global: true }),
      tokenFor('engineer', { region: 'north' }),
      tokenFor('engineer', { region: 'south', sub: 'eng-south' }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await replica?.stop();
    await t?.stop();
  });

  const csv = (rows: string[]) =>
    t.http('POST', '/imports/parts', { token: admin, body: rows.join('\n'), headers: { 'content-type': 'text/csv' } });

  it('imports the catalog by CSV: good rows upserted, bad ones reported with their line, field and reason', async () => {
    const res = await csv([
      'partNumber,description,partClass,compatibleModels,unitCost,contractPrice,mustReturn,doaDays,lifetimeSupply',
      'HDD-4T,4 TB SAS disk,disk,OceanStor 5500|OceanStor 2200,600,900.50,yes,7,no',
      'PSU-750,"power supply, 750 W",power,,90,150,n,14,y',
      ',missing number,disk,,1,1,,,',
      'FAN-1,fan,gizmo,,1,1,,,',
      'MEM-32,32 GB DIMM,memory,,abc,1,,,',
      'CPU-1,cpu,cpu,,1,1,maybe,,',
      'CPU-2,cpu,cpu,,1,1,,-2,',
      'HDD-4T,duplicate,disk,,1,1,,,',
      'A,B,disk,,1,1,,,,extra',
    ]);
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(2);
    expect(res.body.rejected.map((r: { line: number; field: string }) => [r.line, r.field])).toEqual([
      [4, 'partNumber'],
      [5, 'partClass'],
      [6, 'unitCost'],
      [7, 'mustReturn'],
      [8, 'doaDays'],
      [9, 'partNumber'],
      [10, '(row)'],
    ]);
    expect(res.body.rejected[5].reason).toBe('part HDD-4T repeats line 2');
    const disk = await t.http('GET', '/parts/HDD-4T', { token: engineer });
    expect(disk.body).toMatchObject({
      compatibleModels: ['OceanStor 5500', 'OceanStor 2200'],
      unitCost: '600.00',
      contractPrice: '900.50',
      mustReturn: true,
      doaDays: 7,
      lifetimeSupply: false,
    });
    expect((await t.http('GET', '/parts/PSU-750', { token: engineer })).body).toMatchObject({
      description: 'power supply, 750 W',
      mustReturn: false,
      doaDays: 14,
      lifetimeSupply: true,
      compatibleModels: [],
    });
    expect(
      (await t.http('GET', '/parts?model=oceanstor%202200', { token: engineer })).body.items.map(
        (p: { partNumber: string }) => p.partNumber,
      ),
    ).toEqual(['HDD-4T']);
    // the header is checked before any row
    const header = await csv(['partNumber,colour', 'X,red']);
    expect(header.status).toBe(400);
    expect(header.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'colour',
      'description',
      'partClass',
      'unitCost',
      'contractPrice',
    ]);
    // an import also syncs: a row again updates the part
    expect((await csv(['partNumber,description,partClass,unitCost,contractPrice', 'HDD-4T,4 TB SAS disk (v2),disk,610,920'])).body).toEqual(
      { imported: 1, rejected: [] },
    );
    expect((await t.http('GET', '/parts/HDD-4T', { token: engineer })).body).toMatchObject({
      description: '4 TB SAS disk (v2)',
      contractPrice: '920.00',
    });
  });

  it('scopes depots and requests to the token’s region (another region’s is 404), an admin sees all', async () => {
    for (const d of [
      { id: 'N-BJ', name: 'Beijing', region: 'north', home: true },
      { id: 'S-GZ', name: 'Guangzhou', region: 'south', home: true },
    ]) {
      expect((await t.http('POST', '/depots', { token: admin, body: d })).status).toBe(201);
    }
    const southManager = await tokenFor('manager', { region: 'south' });
    expect((await t.http('POST', '/depots', { token: southManager, body: { id: 'N-X', name: 'x', region: 'north' } })).status).toBe(403);
    expect((await t.http('GET', '/depots', { token: engineer })).body.items.map((d: { id: string }) => d.id)).toEqual(['N-BJ']);
    expect((await t.http('GET', '/depots?region=south', { token: engineer })).body.total).toBe(0);
    expect((await t.http('GET', '/depots/S-GZ', { token: engineer })).status).toBe(404);
    expect((await t.http('GET', '/depots', { token: admin })).body.total).toBe(2);
    expect((await t.http('GET', '/parts', { token: await tokenFor('customer', { customerId: 'C-1' }) })).status).toBe(403);

    expect((await t.http('POST', '/depots/N-BJ/stock-in', { token: admin, body: { partNumber: 'HDD-4T', quantity: 4 } })).status).toBe(201);
    const r = await t.http('POST', '/part-requests', { token: engineer, body: { partNumber: 'HDD-4T', quantity: 1 } });
    expect((await t.http('GET', `/part-requests/${r.body.id}`, { token: southEngineer })).status).toBe(404);
    expect((await t.http('GET', '/part-requests', { token: southEngineer })).body.total).toBe(0);
    expect((await t.http('POST', `/part-requests/${r.body.id}/cancel`, { token: southEngineer, body: { reason: 'x' } })).status).toBe(404);
    expect(
      (await t.http('POST', `/part-requests/${r.body.id}/cancel`, { token: engineer, body: { reason: 'fixed without it' } })).body.state,
    ).toBe('cancelled');
  });

  it('raises a low-stock event and metric once when the available stock crosses below the minimum', async () => {
    const min = await t.http('PUT', '/depots/N-BJ/stock/HDD-4T/minimum', { token: admin, body: { minLevel: 3 } });
    expect(min.body).toMatchObject({ onHand: 4, reserved: 0, available: 4, minLevel: 3, belowMinimum: false });
    for (let i = 0; i < 3; i++) {
      expect((await t.http('POST', '/part-requests', { token: engineer, body: { partNumber: 'HDD-4T', quantity: 1 } })).status).toBe(201);
    }
    await outboxRelayed(t);
    const low = events.filter((e) => e.type === 'spares.stock.below-minimum.v1');
    expect(low).toHaveLength(1); // at 4 → 3 nothing, 3 → 2 once, 2 → 1 not again
    expect(low[0]).toMatchObject({
      subject: 'N-BJ',
      data: { depotId: 'N-BJ', region: 'north', partNumber: 'HDD-4T', partClass: 'disk', available: 2, minLevel: 3 },
    });
    const below = await t.http('GET', '/depots/N-BJ/stock?belowMinimum=true', { token: engineer });
    expect(below.body.items).toEqual([expect.objectContaining({ partNumber: 'HDD-4T', available: 1, belowMinimum: true })]);
    const metrics = (await t.http('GET', '/metrics')).body as string;
    expect(metrics).toMatch(/aftersales_spares_low_stock_total\{[^}]*depot="N-BJ"[^}]*part_class="disk"[^}]*\} 1/);
    expect(metrics).toMatch(/aftersales_spares_stock_units\{[^}]*depot="N-BJ"[^}]*part_class="disk"[^}]*kind="reserved"[^}]*\} 3/);
    expect(metrics).toMatch(/aftersales_spares_stock_below_minimum\{[^}]*depot="N-BJ"[^}]*part_class="disk"[^}]*\} 1/);
    // zero-initialised series of every depot and class: the first event shows in rate()
    expect(metrics).toMatch(/aftersales_spares_low_stock_total\{[^}]*depot="S-GZ"[^}]*part_class="fan"[^}]*\} 0/);
    expect(metrics).toMatch(/aftersales_spares_returns_overdue_total\{[^}]*depot="N-BJ"[^}]*part_class="board"[^}]*\} 0/);
  });

  /** A must-return disk requested, delivered and installed at N-BJ: the faulty one it replaced is owed back. */
  async function installedWithReturnOwed() {
    const r = await t.http('POST', '/part-requests', { token: engineer, body: { partNumber: 'HDD-4T', quantity: 1 } });
    for (const step of ['pick', 'ship', 'deliver', 'install']) {
      await t.http('POST', `/part-requests/${r.body.id}/${step}`, {
        token: engineer,
        body: step === 'ship' ? { courier: 'Zhao Gang' } : undefined,
      });
    }
    const [owed] = (await t.http('GET', `/returns?requestId=${r.body.id}`, { token: engineer })).body.items;
    return owed;
  }

  it('flags a return past due once (two replicas sweeping), and reports each depot once a day', async () => {
    const owed = await installedWithReturnOwed();
    expect(owed.dueAt).toBe(new Date(clock.now().getTime() + 5 * DAY).toISOString());

    clock.advance(5 * DAY + 60_000);
    const sweeps = await Promise.all([t, replica].map((s) => s.service.app.get(SparesSweeper).sweep()));
    expect(sweeps.map((s) => s.overdueReturns).sort()).toEqual([0, 1]);
    expect(sweeps.flatMap((s) => s.reports).sort()).toEqual(['N-BJ', 'S-GZ']);
    expect((await t.http('GET', `/returns/${owed.id}`, { token: engineer })).body).toMatchObject({
      state: 'expected',
      overdue: true,
      overdueAt: clock.now().toISOString(),
    });
    expect((await t.http('GET', '/returns?overdue=true', { token: engineer })).body.total).toBe(1);
    await outboxRelayed(t);
    const flagged = events.filter((e) => e.type === 'spares.return.overdue.v1');
    expect(flagged).toHaveLength(1);

    const again = await t.service.app.get(SparesSweeper).sweep();
    expect(again).toEqual({ overdueReturns: 0, reports: [] });
    const report = (await t.http('GET', '/depots/N-BJ/reports', { token: engineer })).body.items;
    expect(report).toEqual([
      expect.objectContaining({
        depotId: 'N-BJ',
        day: '2026-03-07',
        parts: 1,
        belowMinimum: [{ partNumber: 'HDD-4T', available: 0, minLevel: 3 }],
        overdueReturns: 1,
      }),
    ]);
    // received late, it still counts in stock as defective
    const back = await t.http('POST', `/returns/${owed.id}/receive`, { token: engineer, body: { condition: 'clicking' } });
    expect(back.body).toMatchObject({ state: 'received', overdue: true });
    expect((await t.http('GET', '/depots/N-BJ/stock/HDD-4T', { token: engineer })).body).toMatchObject({ defective: 1 });

    clock.advance(DAY);
    expect((await t.service.app.get(SparesSweeper).sweep()).reports).toEqual(['N-BJ', 'S-GZ']);
    const reports = await waitFor('two days of reports announced', () => {
      const r = events.filter((e) => e.type === 'spares.depot.daily-report.v1' && e.subject === 'N-BJ');
      return r.length === 2 && r;
    });
    expect(reports.map((e) => (e.data as { day: string }).day)).toEqual(['2026-03-07', '2026-03-08']);
  });

  it("flags a return once when escalation's deadline for it passes, whichever of it and the sweep comes first", async () => {
    expect((await t.http('POST', '/depots/N-BJ/stock-in', { token: admin, body: { partNumber: 'HDD-4T', quantity: 1 } })).status).toBe(201);
    const owed = await installedWithReturnOwed();
    clock.advance(5 * DAY + 60_000);
    const passed = () =>
      upstreamEvent('escalation.deadline.overdue.v1', owed.id, {
        deadlineId: randomUUID(),
        kind: 'defective-return',
        subjectId: owed.id,
        region: 'north',
        notifyRoles: ['service-delivery-manager', 'technical-manager'],
        dueAt: owed.dueAt,
        firedAt: clock.now().toISOString(),
      });
    await deliver(t.bus, passed());
    expect((await t.http('GET', `/returns/${owed.id}`, { token: engineer })).body).toMatchObject({
      state: 'expected',
      overdue: true,
      overdueAt: clock.now().toISOString(),
    });
    await deliver(t.bus, passed()); // another replica of escalation, or a redelivery under a new id
    expect((await t.service.app.get(SparesSweeper).sweep()).overdueReturns).toBe(0);
    await outboxRelayed(t);
    const flagged = events.filter((e) => e.type === 'spares.return.overdue.v1' && (e.data as { returnId: string }).returnId === owed.id);
    expect(flagged).toHaveLength(1);
  });
});
