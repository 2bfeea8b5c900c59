import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import { deliver, recordTopic, startTestService, TestService, tokenFor, upstreamEvent, waitFor } from '@aftersales/testing';
import { randomUUID } from 'node:crypto';
import { intakeService } from '../src/intake.service-definition';

const beijing = {
  id: 'CAL-BJ',
  timeZone: 'Asia/Shanghai',
  kind: 'business-hours',
  weekly: { 1: [{ start: '09:00', end: '18:00' }], 2: [{ start: '09:00', end: '18:00' }], 3: [{ start: '09:00', end: '18:00' }] },
};

const ics = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20261001',
  'DTEND;VALUE=DATE:20261008',
  'SUMMARY:国庆节',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20261010',
  'SUMMARY:国庆节补班',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

describe('intake registry: CRUD, scoping, calendars and desk lookup (real PostgreSQL)', () => {
  let t: TestService;
  let published: Awaited<ReturnType<typeof recordTopic>>;
  // 2026-11-23 23:30 UTC is already 2026-11-24 in Beijing
  const clock = new ManualClock('2026-11-23T23:30:00Z');

  const admin = { role: 'admin' as const };
  const count = async (table: string): Promise<number> => {
    const [{ n }] = await t.service.runtime.dataSource.query(`SELECT count(*)::int AS n FROM "${t.schema}".${table}`);
    return n;
  };
  const counts = async () => ({
    customers: await count('customers'),
    sites: await count('sites'),
    contacts: await count('contacts'),
    contracts: await count('contracts'),
    assets: await count('assets'),
    calendars: await count('calendars'),
    outbox: await count('outbox'),
  });
  const post = (path: string, body: unknown, role: 'admin' | 'agent' = 'admin') => t.http('POST', path, { body, role });

  beforeAll(async () => {
    const bus = new InProcessBus();
    published = await recordTopic(bus, 'aftersales.intake.requests.v1');
    t = await startTestService(intakeService, { bus, clock, region: 'north' });

    expect((await post('/calendars', beijing)).status).toBe(201);
    expect((await post('/customers', { id: 'C-1', name: 'Beijing Metro', region: 'north' }, 'agent')).status).toBe(201);
    // (regions: apps/all-in-one/test/hostile/region-scoping.spec.ts; here everything is the token's region)
    expect((await post('/customers', { id: 'C-2', name: 'Shanghai Bank', region: 'north' }, 'agent')).status).toBe(201);
    expect((await post('/sites', { id: 'S-1', customerId: 'C-1', name: 'Depot Xizhimen', city: 'Beijing' }, 'agent')).status).toBe(201);
    expect((await post('/sites', { id: 'S-2', customerId: 'C-2', name: 'Data centre Pudong' }, 'agent')).status).toBe(201);
    for (const c of [
      { id: 'P-1', customerId: 'C-1', siteId: 'S-1', name: 'Li Wei', phone: '+86 10 5555 0100', email: 'Li.Wei@metro.example' },
      { id: 'P-2', customerId: 'C-2', name: 'Zhang Min', phone: '021-6666 0200' },
    ]) {
      expect((await post('/contacts', c, 'agent')).status).toBe(201);
    }
    // K-1: business hours on Beijing's calendar, in force; K-2: ended long ago
    const k1 = {
      id: 'K-1',
      customerId: 'C-1',
      coverage: 'business-hours',
      calendarId: 'CAL-BJ',
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
    };
    expect((await post('/contracts', k1)).status).toBe(201);
    expect(
      (await post('/contracts', { id: 'K-2', customerId: 'C-2', coverage: '7x24', startsOn: '2024-01-01', endsOn: '2025-12-31' })).status,
    ).toBe(201);
    for (const a of [
      // warranty ends "today" in Beijing (2026-11-24): still covered although UTC is a day behind
      {
        id: 'A-1',
        customerId: 'C-1',
        siteId: 'S-1',
        contractId: 'K-1',
        model: 'OceanStor 5500',
        serialNumber: 'SN-A1',
        warrantyEndsOn: '2026-11-24',
      },
      // warranty over, but the contract is in force
      { id: 'A-2', customerId: 'C-1', contractId: 'K-1', model: 'OceanStor 5500', serialNumber: 'SN-A2', warrantyEndsOn: '2026-11-23' },
      // warranty and contract both over
      {
        id: 'A-3',
        customerId: 'C-2',
        siteId: 'S-2',
        contractId: 'K-2',
        model: 'FusionServer',
        serialNumber: 'SN-B1',
        warrantyEndsOn: '2025-06-30',
      },
    ]) {
      expect((await post('/assets', a, 'agent')).status).toBe(201);
    }
  });
  afterAll(() => t.stop());

  describe('CRUD', () => {
    it("creates records with the customer's region and phone digits filled in, and finds them with filters", async () => {
      const site = await t.http('GET', '/sites/S-2');
      expect(site.body).toMatchObject({ id: 'S-2', customerId: 'C-2', region: 'north' });
      const contract = await t.http('GET', '/contracts/K-1');
      expect(contract.body).toMatchObject({ region: 'north', calendarId: 'CAL-BJ', startsOn: '2026-01-01', endsOn: '2026-12-31' });
      const contact = await t.http('GET', '/contacts/P-2');
      expect(contact.body).toMatchObject({ phone: '021-6666 0200', phoneDigits: '02166660200', designated: true });

      const assets = await t.http('GET', '/assets?customerId=C-1&limit=1');
      expect(assets.body).toMatchObject({ total: 2, limit: 1, offset: 0, items: [{ id: 'A-1' }] });
      expect((await t.http('GET', '/assets?serialNumber=SN-B1')).body.items.map((a: any) => a.id)).toEqual(['A-3']);
      expect((await t.http('GET', '/contacts?phone=86-10-5555-0100')).body.items.map((c: any) => c.id)).toEqual(['P-1']);
      expect((await t.http('GET', '/contacts?email=li.wei@METRO.example')).body.items.map((c: any) => c.id)).toEqual(['P-1']);
      expect((await t.http('GET', '/customers?name=bank')).body.items.map((c: any) => c.id)).toEqual(['C-2']);
    });

    it('patches only the given fields, re-derives phone digits and keeps the rules', async () => {
      const res = await t.http('PATCH', '/contacts/P-2', { body: { phone: '+86 21 6666 0299' } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'Zhang Min', phone: '+86 21 6666 0299', phoneDigits: '862166660299' });

      const before = await counts();
      const wrongSite = await t.http('PATCH', '/contacts/P-2', { body: { siteId: 'S-1' } });
      expect(wrongSite.status).toBe(422);
      expect(wrongSite.body.errors).toEqual([{ field: 'siteId', reason: expect.stringContaining('another customer') }]);
      const cleared = await t.http('PATCH', '/contacts/P-2', { body: { name: null } });
      expect(cleared.status).toBe(400);
      expect(cleared.body.errors[0].field).toBe('name');
      const moved = await t.http('PATCH', '/contacts/P-2', { body: { customerId: 'C-1' } });
      expect(moved.status).toBe(400);
      expect(moved.body.errors[0].field).toBe('customerId');
      expect((await t.http('GET', '/contacts/P-2')).body).toMatchObject({ siteId: null, name: 'Zhang Min', customerId: 'C-2' });
      expect(await counts()).toEqual(before);
    });

    it('answers bad input with 400/409/422 naming the field, writing nothing', async () => {
      const before = await counts();
      const cases: Array<[string, unknown, number, string, ('admin' | 'agent')?]> = [
        ['/customers', { id: 'C-9' }, 400, 'name'],
        ['/customers', { id: 'C 9', name: 'x' }, 400, 'id'],
        ['/customers', { id: 'C-1', name: 'again' }, 409, 'id'],
        ['/customers', { id: 'C-9', name: 'x', vip: true }, 400, 'vip'],
        ['/sites', { id: 'S-9', customerId: 'C-404', name: 'x' }, 422, 'customerId'],
        ['/contacts', { id: 'P-9', customerId: 'C-1', siteId: 'S-404', name: 'x' }, 422, 'siteId'],
        ['/contacts', { id: 'P-9', customerId: 'C-1', name: 'x', email: 'not-mail' }, 400, 'email'],
        [
          '/contracts',
          { id: 'K-9', customerId: 'C-1', coverage: 'business-hours', startsOn: '2026-01-01', endsOn: '2026-12-31' },
          422,
          'calendarId',
        ],
        ['/contracts', { id: 'K-9', customerId: 'C-1', coverage: '7x24', startsOn: '2026-01-01', endsOn: '2025-12-31' }, 422, 'endsOn'],
        ['/contracts', { id: 'K-9', customerId: 'C-1', coverage: '7x24', startsOn: '2026-02-30', endsOn: '2026-12-31' }, 400, 'startsOn'],
        [
          '/contracts',
          { id: 'K-9', customerId: 'C-1', coverage: 'business-hours', calendarId: 'CAL-X', startsOn: '2026-01-01', endsOn: '2026-12-31' },
          422,
          'calendarId',
        ],
        ['/contracts', { id: 'K-9', customerId: 'C-1', coverage: '7x24', startsOn: '2026-01-01', endsOn: '2026-12-31' }, 403, '', 'agent'],
        ['/assets', { id: 'A-9', customerId: 'C-1', model: 'x', serialNumber: 'SN-B1' }, 409, 'serialNumber'],
        ['/assets', { id: 'A-9', customerId: 'C-1', contractId: 'K-2', model: 'x', serialNumber: 'SN-9' }, 422, 'contractId'],
        ['/assets', { id: 'A-9', customerId: 'C-1', serialNumber: 'SN-9' }, 400, 'model'],
        ['/calendars', { ...beijing, id: 'CAL-9', timeZone: 'Mars/Olympus' }, 422, 'timeZone'],
        ['/calendars', beijing, 409, 'id'],
      ];
      for (const [path, body, status, field, role] of cases) {
        const res = await post(path, body, role ?? 'admin');
        expect({ path, body, status: res.status }).toEqual({ path, body, status });
        if (field) expect(res.body.errors.map((e: any) => e.field)).toContain(field);
      }
      expect(await counts()).toEqual(before);
    });

    it('honours Idempotency-Key on create: a retry replays the answer instead of a 409', async () => {
      const body = { id: 'C-IDEM', name: 'Retry Ltd' };
      const headers = { 'idempotency-key': 'import-2026-11-23-C-IDEM' };
      const first = await t.http('POST', '/customers', { body, headers });
      const retry = await t.http('POST', '/customers', { body, headers });
      expect([first.status, retry.status]).toEqual([201, 201]);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body).toEqual(first.body);
      expect((await t.http('POST', '/customers', { body })).status).toBe(409);
      expect((await t.http('DELETE', '/customers/C-IDEM')).status).toBe(204);
    });

    it('refuses to delete what is still referenced (409) and deletes leaves', async () => {
      const before = await counts();
      for (const path of ['/customers/C-1', '/sites/S-1', '/contracts/K-1', '/calendars/CAL-BJ']) {
        const res = await t.http('DELETE', path, admin);
        expect({ path, status: res.status }).toEqual({ path, status: 409 });
        expect(res.body.errors[0]).toMatchObject({ field: 'id', reason: expect.stringContaining('still') });
      }
      expect(await counts()).toEqual(before);
      expect((await post('/customers', { id: 'C-GONE', name: 'Short-lived' }, 'agent')).status).toBe(201);
      expect((await t.http('DELETE', '/customers/C-GONE')).status).toBe(204);
      expect((await t.http('GET', '/customers/C-GONE')).status).toBe(404);
      expect((await t.http('DELETE', '/customers/C-GONE')).status).toBe(404);
    });

    it('announces a moved warranty end (intake.warranty.changed.v1) with the same transaction as the change', async () => {
      const res = await t.http('PATCH', '/contracts/K-1', { ...admin, body: { warrantyEndsOn: '2027-03-31', reason: 'P1 downtime' } });
      expect(res.status).toBe(200);
      const asset = await t.http('PATCH', '/assets/A-2', { body: { warrantyEndsOn: '2026-12-15' } });
      expect(asset.body.warrantyEndsOn).toBe('2026-12-15');
      const k = await waitFor('contract event', () =>
        published.find((e) => e.type === 'intake.warranty.changed.v1' && e.subject === 'K-1'),
      );
      expect(k.data).toEqual({ contractId: 'K-1', warrantyEndsOn: '2027-03-31', reason: 'P1 downtime' });
      const a = await waitFor('asset event', () => published.find((e) => e.type === 'intake.warranty.changed.v1' && e.subject === 'A-2'));
      expect(a.data).toMatchObject({ contractId: 'K-1', assetId: 'A-2', warrantyEndsOn: '2026-12-15' });
      // a change of something else announces nothing
      const outbox = await count('outbox');
      expect((await t.http('PATCH', '/assets/A-2', { body: { productLine: 'storage' } })).status).toBe(200);
      expect(await count('outbox')).toBe(outbox);
      // put them back for the warranty tests below
      await t.http('PATCH', '/contracts/K-1', { ...admin, body: { warrantyEndsOn: null } });
      await t.http('PATCH', '/assets/A-2', { body: { warrantyEndsOn: '2026-11-23' } });
    });
  });

  describe('warranty extension earned by supplier-caused P1 downtime', () => {
    it('counts measured downtime only once it is classified supplier-caused, once per event, and announces the new end', async () => {
      expect(
        (await post('/contracts', { id: 'K-EXT', customerId: 'C-2', coverage: '7x24', startsOn: '2026-01-01', endsOn: '2026-06-30' }))
          .status,
      ).toBe(201);
      const caseId = randomUUID();
      const earned = upstreamEvent('escalation.warranty.extension-earned.v1', caseId, {
        caseId,
        clockId: randomUUID(),
        contractId: 'K-EXT',
        downtimeMinutes: 4000,
        days: 3,
        from: '2026-05-01T00:00:00.000Z',
        to: '2026-05-03T18:40:00.000Z',
      });
      await deliver(t.bus, earned);
      // nobody said who caused it yet: nothing moves
      expect((await t.http('GET', '/contracts/K-EXT')).body.warrantyEndsOn).toBeNull();
      const classified = upstreamEvent('case.downtime.classified.v1', caseId, {
        caseId,
        caseNumber: 'NORTH-2026-000009',
        region: 'north',
        customerId: 'C-2',
        severity: 'P1',
        contractId: 'K-EXT',
        cause: 'supplier',
        previousCause: null,
        reason: 'our firmware',
        actor: { subject: 'eng-1', role: 'engineer' },
        at: '2026-05-04T00:00:00.000Z',
      });
      await deliver(t.bus, classified);
      await deliver(t.bus, earned); // redelivered: applied once
      // no warranty end of its own yet: three days after the end of the contract
      expect((await t.http('GET', '/contracts/K-EXT')).body.warrantyEndsOn).toBe('2026-07-03');
      const changed = await waitFor('warranty event', () =>
        published.find((e) => e.type === 'intake.warranty.changed.v1' && e.subject === 'K-EXT'),
      );
      expect(changed.data).toMatchObject({ contractId: 'K-EXT', warrantyEndsOn: '2026-07-03', reason: expect.stringContaining('3 days') });
      expect(changed.correlationId).toBe(classified.correlationId ?? classified.id);
      // a second episode of the same case: its downtime adds to the case's, rounded once (4000 + 320 min → 3 days still)
      await deliver(t.bus, { ...earned, id: randomUUID(), data: { ...earned.data, clockId: randomUUID(), downtimeMinutes: 320 } });
      expect((await t.http('GET', '/contracts/K-EXT')).body.warrantyEndsOn).toBe('2026-07-03');
      await deliver(t.bus, { ...earned, id: randomUUID(), data: { ...earned.data, clockId: randomUUID(), downtimeMinutes: 60 } });
      expect((await t.http('GET', '/contracts/K-EXT')).body.warrantyEndsOn).toBe('2026-07-04');
    });
  });

  describe('customer tokens', () => {
    const asCustomer = async (path: string, customerId = 'C-1') =>
      t.http('GET', path, { token: await tokenFor('customer', { customerId }) });

    it('read their own customer, sites, contacts, contracts and assets', async () => {
      expect((await asCustomer('/customers/C-1')).status).toBe(200);
      expect((await asCustomer('/assets/A-1')).body).toMatchObject({ id: 'A-1', serialNumber: 'SN-A1' });
      expect((await asCustomer('/contracts/K-1')).status).toBe(200);
      expect((await asCustomer('/customers')).body.items.map((c: any) => c.id)).toEqual(['C-1']);
      expect((await asCustomer('/assets')).body.items.map((a: any) => a.id)).toEqual(['A-1', 'A-2']);
      // asking for another customer's list does not widen the scope
      expect((await asCustomer('/assets?customerId=C-2')).body).toMatchObject({ total: 0, items: [] });
    });

    it("get 404 for another customer's records, as for records that do not exist", async () => {
      for (const path of ['/customers/C-2', '/sites/S-2', '/contacts/P-2', '/contracts/K-2', '/assets/A-3', '/assets/A-404']) {
        const res = await asCustomer(path);
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
      }
    });

    it('cannot write, import or look callers up (staff-only routes naming a record answer 404, as if absent)', async () => {
      const token = await tokenFor('customer', { customerId: 'C-1' });
      expect((await t.http('PATCH', '/assets/A-1', { token, body: { model: 'x' } })).status).toBe(404);
      expect((await t.http('POST', '/imports/assets', { token, body: 'id\n', headers: { 'content-type': 'text/csv' } })).status).toBe(404);
      expect((await t.http('GET', '/desk/lookup?phone=861055550100', { token })).status).toBe(403);
    });
  });

  describe('calendars', () => {
    it('imports holidays and make-up days from an iCal file and announces the calendar', async () => {
      const res = await t.http('POST', '/calendars/CAL-BJ/holidays', { ...admin, body: ics, headers: { 'content-type': 'text/calendar' } });
      expect(res.status).toBe(200);
      expect(res.body.added).toEqual({ holidays: 1, workdays: 1 });
      expect(res.body.calendar.definition).toMatchObject({
        holidays: [{ from: '2026-10-01', to: '2026-10-07', name: '国庆节' }],
        workdays: ['2026-10-10'],
      });
      // the same file again adds nothing
      const again = await t.http('POST', '/calendars/CAL-BJ/holidays', {
        ...admin,
        body: ics,
        headers: { 'content-type': 'text/calendar' },
      });
      expect(again.body.added).toEqual({ holidays: 0, workdays: 0 });
      const event = await waitFor('calendar event', () =>
        published.find((e) => e.type === 'intake.calendar.changed.v1' && (e.data as any).definition.workdays?.length),
      );
      expect(event.data).toMatchObject({ calendarId: 'CAL-BJ', definition: { timeZone: 'Asia/Shanghai' } });
    });

    it('refuses a file without all-day events, or sent as JSON', async () => {
      const empty = await t.http('POST', '/calendars/CAL-BJ/holidays', {
        ...admin,
        body: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR',
        headers: { 'content-type': 'text/calendar' },
      });
      expect(empty.status).toBe(422);
      expect((await t.http('POST', '/calendars/CAL-BJ/holidays', { ...admin, body: { holidays: [] } })).status).toBe(415);
      expect(
        (await t.http('POST', '/calendars/CAL-404/holidays', { ...admin, body: ics, headers: { 'content-type': 'text/calendar' } })).status,
      ).toBe(404);
    });

    it('patches a definition and lists the problems of a bad one (422)', async () => {
      const bad = await t.http('PATCH', '/calendars/CAL-BJ', { ...admin, body: { weekly: { 1: [{ start: '18:00', end: '09:00' }] } } });
      expect(bad.status).toBe(422);
      expect(bad.body.errors[0].field).toMatch(/^weekly/);
      const ok = await t.http('PATCH', '/calendars/CAL-BJ', { ...admin, body: { workdayHours: [{ start: '09:00', end: '17:00' }] } });
      expect(ok.status).toBe(200);
      expect(ok.body.definition).toMatchObject({
        timeZone: 'Asia/Shanghai',
        workdays: ['2026-10-10'],
        workdayHours: [{ start: '09:00', end: '17:00' }],
      });
      expect((await t.http('GET', '/calendars/CAL-BJ', { role: 'agent' })).status).toBe(200);
      expect((await t.http('PATCH', '/calendars/CAL-BJ', { role: 'agent', body: {} })).status).toBe(403);
    });
  });

  describe('desk lookup', () => {
    const lookup = (q: string) => t.http('GET', `/desk/lookup?${q}`, { role: 'agent' });

    it('finds the caller whatever way the number is written, with customer, sites and assets', async () => {
      for (const phone of ['+86 10 5555 0100', '861055550100', '010-5555-0100', '5555 0100']) {
        const res = await lookup(`phone=${encodeURIComponent(phone)}`);
        expect(res.status).toBe(200);
        expect({ phone, matches: res.body.matches.length }).toEqual({ phone, matches: 1 });
        const [m] = res.body.matches;
        expect(m.customer).toMatchObject({ id: 'C-1', name: 'Beijing Metro' });
        expect(m.contacts.map((c: any) => c.id)).toEqual(['P-1']);
        expect(m.sites.map((s: any) => s.id)).toEqual(['S-1']);
        expect(m.assets.map((a: any) => a.asset.serialNumber)).toEqual(['SN-A1', 'SN-A2']);
      }
    });

    it("judges warranty on the contract calendar's local date", async () => {
      const [m] = (await lookup('email=LI.WEI@metro.example')).body.matches;
      const status = Object.fromEntries(m.assets.map((a: any) => [a.asset.id, [a.warranty, a.asOf, a.contract?.id]]));
      expect(status).toEqual({ 'A-1': ['in-warranty', '2026-11-24', 'K-1'], 'A-2': ['under-contract', '2026-11-24', 'K-1'] });
      expect(m.contracts[0]).toMatchObject({ id: 'K-1', inForce: true, warranty: 'under-contract' });

      const [b] = (await lookup('serial=SN-B1')).body.matches;
      expect(b.customer.id).toBe('C-2');
      expect(b.contacts.map((c: any) => c.id)).toEqual(['P-2']);
      expect(b.assets).toEqual([
        expect.objectContaining({ warranty: 'expired', asOf: '2026-11-23', contract: expect.objectContaining({ id: 'K-2' }) }),
      ]);
    });

    it('moves with the clock: a day later A-1 is only under contract, after the contract nothing covers it', async () => {
      try {
        clock.set('2026-11-25T02:00:00Z');
        const [m] = (await lookup('serial=SN-A1')).body.matches;
        expect(m.assets[0]).toMatchObject({ warranty: 'under-contract', asOf: '2026-11-25' });
        clock.set('2027-01-01T01:00:00Z');
        const [later] = (await lookup('serial=SN-A1')).body.matches;
        expect(later.assets[0]).toMatchObject({ warranty: 'expired', asOf: '2027-01-01' });
      } finally {
        clock.set('2026-11-23T23:30:00Z');
      }
    });

    it('answers an unknown caller with no matches, and a question without a key with 400', async () => {
      for (const q of ['phone=%2B1%20555%200000', 'email=nobody@example.com', 'serial=SN-NONE']) {
        const res = await lookup(q);
        expect({ q, status: res.status, matches: res.body.matches }).toEqual({ q, status: 200, matches: [] });
      }
      const none = await lookup('');
      expect(none.status).toBe(400);
      expect(none.body.errors[0].field).toBe('phone');
      expect((await lookup('phone=1&serial=2')).status).toBe(400);
    });
  });
});
