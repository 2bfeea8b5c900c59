import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import { caseOpened, deliver, startTestService, TestService, tokenFor, upstreamEvent } from '@aftersales/testing';
import {
  allowedActions,
  repairAllowed,
  RepairAction,
  RepairState,
  REQUEST_MACHINE,
  RequestAction,
  RequestState,
  RETURN_MACHINE,
  ReturnAction,
  ReturnState,
} from '../src/domain';
import { sparesService } from '../src/spares.service-definition';

const REQUEST_ACTIONS: RequestAction[] = ['approve', 'reject', 'pick', 'ship', 'deliver', 'install', 'cancel', 'doa-exchange'];
const BODIES: Partial<Record<string, unknown>> = {
  reject: { reason: 'no' },
  cancel: { reason: 'no longer needed' },
  ship: { carrier: 'SF Express', trackingNumber: 'SF-1' },
  'doa-exchange': { reason: 'dead' },
};

/**
 * Every move a state machine does not allow is 409 with the moves it does allow, and writes
 * nothing (stock, the record, its history, the outbox); bad input is a 4xx naming the field,
 * never a 500, and leaves the stock as it was.
 */
describe('illegal moves and bad input: 409 / 4xx naming what is wrong, nothing written (real PostgreSQL)', () => {
  const clock = new ManualClock('2026-03-02T08:00:00Z');
  let t: TestService;
  let admin: string;
  let caseId: string;
  const statuses: number[] = [];

  beforeAll(async () => {
    t = await startTestService(sparesService, { bus: new InProcessBus(), clock, env: { SPARES_SWEEP_MS: '0' } });
    admin = await tokenFor('admin', { sub: 'admin-1', region: 'north', global: true });
    for (const [path, body] of [
      ['/parts', { partNumber: 'HDD-4T', description: '4 TB disk', partClass: 'disk', unitCost: '600', contractPrice: '900' }],
      ['/depots', { id: 'N-BJ', name: 'Beijing', region: 'north', home: true }],
      ['/depots', { id: 'S-GZ', name: 'Guangzhou', region: 'south', home: true }],
      ['/depots/N-BJ/stock-in', { partNumber: 'HDD-4T', quantity: 20 }],
      ['/depots/S-GZ/stock-in', { partNumber: 'HDD-4T', quantity: 5 }],
    ] as const) {
      expect((await t.http('POST', path, { token: admin, body })).status).toBe(201);
    }
    const c = caseOpened({ severity: 'P2', openedAt: clock.now().toISOString() });
    await deliver(t.bus, upstreamEvent('case.opened.v1', c.caseId, c));
    caseId = c.caseId;
  }, 60_000);
  afterAll(() => t.stop());

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await t.http(method, path, { token: admin, body });
    statuses.push(res.status);
    return res;
  };
  const q = async (sql: string, params: unknown[] = []) =>
    t.service.runtime.dataSource.query(sql.replaceAll('$S', `"${t.schema}"`), params);
  /** Everything a move could write. */
  const footprint = async () => ({
    stock: await q(`SELECT depot_id, part_number, on_hand, reserved, in_transit, defective, min_level FROM $S.stock ORDER BY 1, 2`),
    requests: await q(`SELECT * FROM $S.part_requests ORDER BY id`),
    moves: (await q(`SELECT count(*)::int AS n FROM $S.part_request_moves`))[0].n,
    returns: await q(`SELECT * FROM $S.part_returns ORDER BY id`),
    orders: await q(`SELECT * FROM $S.repair_orders ORDER BY id`),
    orderMoves: (await q(`SELECT count(*)::int AS n FROM $S.repair_order_moves`))[0].n,
    plans: await q(`SELECT * FROM $S.purchase_plans ORDER BY id`),
    outbox: (await q(`SELECT count(*)::int AS n FROM $S.outbox`))[0].n,
  });

  async function requestIn(state: RequestState): Promise<string> {
    const cross = state === 'awaiting-approval' || state === 'rejected';
    const r = await call('POST', '/part-requests', { caseId, partNumber: 'HDD-4T', quantity: 1, ...(cross ? { depotId: 'S-GZ' } : {}) });
    expect(r.status).toBe(201);
    const id = r.body.id as string;
    const path: Record<RequestState, RequestAction[]> = {
      'awaiting-approval': [],
      rejected: ['reject'],
      reserved: [],
      cancelled: ['cancel'],
      picked: ['pick'],
      shipped: ['pick', 'ship'],
      delivered: ['pick', 'ship', 'deliver'],
      installed: ['pick', 'ship', 'deliver', 'install'],
      'doa-exchanged': ['pick', 'ship', 'deliver', 'doa-exchange'],
    };
    for (const a of path[state]) expect((await call('POST', `/part-requests/${id}/${a}`, BODIES[a])).status).toBeLessThan(300);
    expect((await call('GET', `/part-requests/${id}`)).body.state).toBe(state);
    return id;
  }

  it('part requests: every action not allowed in each state is 409 with the allowed ones, and writes nothing', async () => {
    for (const state of Object.keys(REQUEST_MACHINE) as RequestState[]) {
      const id = await requestIn(state);
      const before = await footprint();
      const allowed = allowedActions(REQUEST_MACHINE, state);
      for (const action of REQUEST_ACTIONS.filter((a) => !allowed.includes(a))) {
        const r = await call('POST', `/part-requests/${id}/${action}`, BODIES[action]);
        expect({ state, action, status: r.status, allowed: r.body.allowed }).toEqual({ state, action, status: 409, allowed });
        expect(r.body.errors).toEqual([{ field: 'state', reason: r.body.message }]);
      }
      // a faulty part can come back only for a part that was shipped
      if (['awaiting-approval', 'reserved', 'picked', 'rejected', 'cancelled'].includes(state)) {
        const r = await call('POST', `/part-requests/${id}/returns`);
        expect({ state, status: r.status, allowed: r.body.allowed }).toEqual({ state, status: 409, allowed });
      }
      expect(await footprint()).toEqual(before);
    }
  });

  it('returns: received only once, decided only after receipt and only once', async () => {
    const id = await requestIn('installed'); // must-return part: a return is expected
    const [{ id: returnId }] = (await call('GET', `/returns?requestId=${id}`)).body.items;
    const tryAll = async (state: ReturnState) => {
      const before = await footprint();
      const allowed = allowedActions(RETURN_MACHINE, state);
      const routes: Array<[ReturnAction, string, unknown]> = [
        ['receive', 'receive', { condition: 'ok' }],
        ['repair', 'disposition', { outcome: 'repaired', reason: 'r' }],
        ['send-to-vendor', 'disposition', { outcome: 'sent-to-vendor', reason: 'r', rmaNumber: 'RMA-1' }],
        ['scrap', 'disposition', { outcome: 'scrapped', reason: 'r' }],
      ];
      for (const [action, route, body] of routes.filter(([a]) => !allowed.includes(a))) {
        const r = await call('POST', `/returns/${returnId}/${route}`, body);
        expect({ state, action, status: r.status, allowed: r.body.allowed }).toEqual({ state, action, status: 409, allowed });
      }
      expect(await footprint()).toEqual(before);
    };
    await tryAll('expected');
    expect((await call('POST', `/returns/${returnId}/receive`, { condition: 'cracked' })).status).toBe(200);
    await tryAll('received');
    expect((await call('POST', `/returns/${returnId}/disposition`, { outcome: 'scrapped', reason: 'beyond repair' })).status).toBe(200);
    await tryAll('scrapped');
  });

  it('repair orders: each state refuses the moves it does not allow (quote in warranty included)', async () => {
    const actions: Array<[RepairAction, unknown]> = [
      ['diagnose', { fault: 'f', partNumber: 'HDD-4T' }],
      ['quote', undefined],
      ['accept', undefined],
      ['decline', undefined],
      ['repair', {}],
      ['ship-back', { carrier: 'SF', trackingNumber: 'SF-2' }],
    ];
    for (const inWarranty of [false, true]) {
      const created = await call('POST', '/repair-orders', {
        channel: 'mail-in',
        customerId: 'C-100',
        serialNumber: `SN-${inWarranty}`,
        warrantyEndsOn: inWarranty ? '2027-01-01' : '2025-01-01',
        condition: 'boxed',
      });
      const id = created.body.id as string;
      const path: RepairAction[] = inWarranty
        ? ['diagnose', 'repair', 'ship-back']
        : ['diagnose', 'quote', 'accept', 'repair', 'ship-back'];
      let state: RepairState = 'received';
      for (let i = 0; ; i++) {
        const before = await footprint();
        const allowed = repairAllowed(state, inWarranty);
        for (const [action, body] of actions.filter(([a]) => !allowed.includes(a))) {
          const r = await call('POST', `/repair-orders/${id}/${action}`, body);
          expect({ inWarranty, state, action, status: r.status, allowed: r.body.allowed }).toEqual({
            inWarranty,
            state,
            action,
            status: 409,
            allowed,
          });
        }
        expect(await footprint()).toEqual(before);
        if (i === path.length) break;
        const [, body] = actions.find(([a]) => a === path[i])!;
        const moved = await call('POST', `/repair-orders/${id}/${path[i]}`, body);
        expect(moved.status).toBe(200);
        state = moved.body.state;
      }
      expect(state).toBe('returned');
    }
  });

  it('bad input is a 4xx naming the field, never a 500, and the stock stays as it was', async () => {
    const reserved = await requestIn('reserved');
    const picked = await requestIn('picked');
    const before = await footprint();
    const cases: Array<[string, string, unknown, number, string]> = [
      ['POST', '/part-requests', { caseId, partNumber: 'HDD-4T', quantity: 0 }, 400, 'quantity'],
      ['POST', '/part-requests', { caseId, partNumber: 'HDD-4T', quantity: -3 }, 400, 'quantity'],
      ['POST', '/part-requests', { caseId, partNumber: 'HDD-4T', quantity: 1.5 }, 400, 'quantity'],
      ['POST', '/part-requests', { caseId, partNumber: 'HDD-4T', quantity: '2' }, 400, 'quantity'],
      ['POST', '/part-requests', { caseId, partNumber: 'HDD-4T' }, 400, 'quantity'],
      ['POST', '/part-requests', { caseId, partNumber: 'NOPE-1', quantity: 1 }, 422, 'partNumber'],
      ['POST', '/part-requests', { caseId, partNumber: 'HDD-4T', quantity: 1, depotId: 'X-NONE' }, 422, 'depotId'],
      ['POST', '/part-requests', { caseId: '00000000-0000-4000-8000-000000000000', partNumber: 'HDD-4T', quantity: 1 }, 422, 'caseId'],
      ['POST', '/part-requests', { caseId: 'not-a-uuid', partNumber: 'HDD-4T', quantity: 1 }, 400, 'caseId'],
      ['POST', '/part-requests', { caseId, partNumber: 'HDD-4T', quantity: 1, neededBy: '2020-01-01T00:00:00Z' }, 422, 'neededBy'],
      ['POST', '/part-requests', { caseId, partNumber: 'HDD-4T', quantity: 1, neededBy: 'tomorrow' }, 400, 'neededBy'],
      ['POST', '/part-requests', { caseId, partNumber: 'HDD-4T', quantity: 1, extra: true }, 400, 'extra'],
      ['POST', '/part-requests', { caseId, partNumber: 'HDD-4T', quantity: 25 }, 409, 'quantity'], // more than anyone has
      ['POST', `/part-requests/${picked}/ship`, { carrier: 'SF Express', trackingNumber: 'SF-3', quantity: 2 }, 409, 'quantity'],
      ['POST', `/part-requests/${picked}/ship`, {}, 400, 'carrier'],
      ['POST', `/part-requests/${picked}/ship`, { carrier: 'SF Express' }, 400, 'trackingNumber'],
      ['POST', `/part-requests/${reserved}/install`, undefined, 409, 'state'],
      ['POST', `/part-requests/${reserved}/cancel`, {}, 400, 'reason'],
      ['POST', '/part-requests/00000000-0000-4000-8000-000000000000/pick', undefined, 404, ''],
      ['POST', '/depots/N-BJ/stock-in', { partNumber: 'HDD-4T', quantity: 0 }, 400, 'quantity'],
      ['POST', '/depots/N-BJ/stock-in', { partNumber: 'HDD-4T', quantity: -1 }, 400, 'quantity'],
      ['POST', '/depots/N-BJ/stock-in', { partNumber: 'NOPE-1', quantity: 1 }, 422, 'partNumber'],
      ['POST', '/depots/X-NONE/stock-in', { partNumber: 'HDD-4T', quantity: 1 }, 404, ''],
      ['PUT', '/depots/N-BJ/stock/HDD-4T/minimum', { minLevel: -1 }, 400, 'minLevel'],
      ['PUT', '/depots/N-BJ/stock/NOPE-1/minimum', { minLevel: 1 }, 422, 'partNumber'],
      ['POST', '/depots', { id: 'N-BJ', name: 'again', region: 'north' }, 409, 'id'],
      ['POST', '/depots', { id: 'N-2', name: 'second home', region: 'north', home: true }, 409, 'home'],
      [
        'POST',
        '/parts',
        { partNumber: 'HDD-4T', description: 'x', partClass: 'disk', unitCost: '1', contractPrice: '1' },
        409,
        'partNumber',
      ],
      ['POST', '/parts', { partNumber: 'P-1', description: 'x', partClass: 'gizmo', unitCost: '1', contractPrice: '1' }, 400, 'partClass'],
      ['POST', '/parts', { partNumber: 'P-1', description: 'x', partClass: 'disk', unitCost: '-1', contractPrice: '1' }, 400, 'unitCost'],
      ['POST', '/repair-orders', { channel: 'carry-in', customerId: 'C-1', serialNumber: 'S', condition: 'c' }, 422, 'warrantyEndsOn'],
      ['POST', '/repair-orders', { channel: 'by-drone', customerId: 'C-1', serialNumber: 'S', condition: 'c' }, 400, 'channel'],
      [
        'POST',
        '/repair-orders',
        { channel: 'carry-in', serialNumber: 'S', condition: 'c', warrantyEndsOn: '2027-01-01' },
        400,
        'customerId',
      ],
    ];
    for (const [method, path, body, status, field] of cases) {
      const r = await call(method, path, body);
      const fields = (r.body.errors ?? []).map((e: { field: string }) => e.field);
      expect({ method, path, body, status: r.status, named: field ? fields.includes(field) : true }).toEqual({
        method,
        path,
        body,
        status,
        named: true,
      });
    }
    expect(await footprint()).toEqual(before);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  });
});
