import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import { caseOpened, deliver, recordTopic, startTestService, TestService, tokenFor, upstreamEvent, waitFor } from '@aftersales/testing';
import { randomUUID } from 'node:crypto';
import { intakeService } from '../src/intake.service-definition';
import { seedRegistry } from './requests.seed';

/** The agent desk: who calls about what, triage, duplicates and scoping, over real PostgreSQL and the bus. */
describe('intake requests at the agent desk', () => {
  let t: TestService;
  let bus: InProcessBus;
  let published: Awaited<ReturnType<typeof recordTopic>>;
  const clock = new ManualClock('2026-03-10T02:00:00Z');

  beforeAll(async () => {
    bus = new InProcessBus();
    published = await recordTopic(bus, 'aftersales.intake.requests.v1');
    t = await startTestService(intakeService, { bus, clock, env: { INTAKE_HANDOFF_SWEEP_MS: '0' } });
    await seedRegistry(t.service.runtime.dataSource, {
      customers: [{ id: 'C-BANK', name: 'North Bank' }, { id: 'C-SHOP', name: 'Corner Shop' }, { id: 'C-TWIN' }],
      sites: [{ id: 'S-BANK-HQ', customerId: 'C-BANK', city: 'Beijing' }],
      contacts: [
        {
          id: 'K-WANG',
          customerId: 'C-BANK',
          siteId: 'S-BANK-HQ',
          name: 'Wang Fang',
          phone: '+86 10 5555-0100',
          email: 'wang@bank.example',
        },
        { id: 'K-SHOP', customerId: 'C-SHOP', name: 'Zhao Min', phone: '+86 21 6666-0200' },
        // one number shared by two customers: the agent must say which
        { id: 'K-TWIN-1', customerId: 'C-TWIN', name: 'Twin', phone: '+86 21 7777-0300' },
        { id: 'K-TWIN-2', customerId: 'C-SHOP', name: 'Twin', phone: '+86 21 7777-0300' },
      ],
      contracts: [
        { id: 'K-BANK-7x24', customerId: 'C-BANK', coverage: '7x24', policyId: 'LADDER_B', startsOn: '2025-01-01', endsOn: '2027-12-31' },
      ],
      assets: [
        ...[1, 2, 3, 4, 5, 6, 7].map((n) => ({
          id: `A-BANK-${n}`,
          customerId: 'C-BANK',
          siteId: 'S-BANK-HQ',
          contractId: 'K-BANK-7x24',
          model: 'OceanStor 5500',
          productLine: 'storage',
          serialNumber: `SN-BANK-${n}`,
          warrantyEndsOn: '2026-12-31',
        })),
        {
          id: 'A-SHOP-1',
          customerId: 'C-SHOP',
          model: 'PowerEdge R740',
          productLine: 'server',
          serialNumber: 'SN-SHOP-1',
          warrantyEndsOn: '2025-06-30',
        },
        {
          id: 'A-SHOP-2',
          customerId: 'C-SHOP',
          model: 'PowerEdge R740',
          productLine: 'server',
          serialNumber: 'SN-SHOP-2',
          warrantyEndsOn: '2026-06-30',
        },
      ],
    });
  });
  afterAll(() => t.stop());

  const rows = async () => {
    const ds = t.service.runtime.dataSource;
    const [{ n: requests }] = await ds.query(`SELECT count(*)::int AS n FROM "${t.schema}".service_requests`);
    const [{ n: events }] = await ds.query(`SELECT count(*)::int AS n FROM "${t.schema}".outbox`);
    return { requests, events };
  };
  const eventFor = (requestId: string) => waitFor(`the event of ${requestId}`, () => published.find((e) => e.subject === requestId));
  const call = (over: Record<string, unknown> = {}) => ({
    contact: { name: 'Wang Fang', phone: '+86 10 5555 0100' },
    channel: 'phone',
    symptom: 'storage array offline, all LUNs gone',
    impact: 'system-down',
    faultKind: 'hardware',
    ...over,
  });
  const openCase = async (requestId: string, caseNumber: string) => {
    const caseId = randomUUID();
    await deliver(
      bus,
      upstreamEvent(
        'case.opened.v1',
        caseId,
        caseOpened({ caseId, caseNumber, requestId, customerId: 'C-BANK', severity: 'P1', openedAt: clock.now().toISOString() }),
      ),
    );
    return caseId;
  };
  const changeStatus = (caseId: string, caseNumber: string, from: string, to: string) =>
    deliver(
      bus,
      upstreamEvent('case.status.changed.v1', caseId, {
        caseId,
        caseNumber,
        region: 'north',
        customerId: 'C-BANK',
        severity: 'P1',
        from: from as 'resolved',
        to: to as 'closed',
        actor: { subject: 'eng-1', role: 'engineer' },
        at: clock.now().toISOString(),
      }),
    );

  describe('phone desk: caller number → contact → customer, serial → asset, warranty and contract', () => {
    it('files a P1 on-site request for the right customer and publishes it with everything the case needs', async () => {
      const res = await t.http('POST', '/requests', { body: call({ serialNumber: 'SN-BANK-1', errorCodes: ['E42'] }) });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        customerId: 'C-BANK',
        contactId: 'K-WANG',
        siteId: 'S-BANK-HQ',
        assetId: 'A-BANK-1',
        productModel: 'OceanStor 5500',
        productLine: 'storage',
        warranty: 'in-warranty',
        severity: 'P1',
        suggestedSeverity: 'P1',
        serviceMode: 'on-site',
        suggestedServiceMode: 'on-site',
        severityReason: null,
        triage: { suggestedSeverity: 'P1', suggestedServiceMode: 'on-site' },
      });
      const event = await eventFor(res.body.id);
      expect(event.type).toBe('intake.request.received.v1');
      expect(event.data).toMatchObject({
        requestId: res.body.id,
        customerId: 'C-BANK',
        contactId: 'K-WANG',
        siteId: 'S-BANK-HQ',
        assetId: 'A-BANK-1',
        serialNumber: 'SN-BANK-1',
        productLine: 'storage',
        warranty: 'in-warranty',
        contract: { contractId: 'K-BANK-7x24', coverage: '7x24', policyId: 'LADDER_B', warrantyEndsOn: '2026-12-31' },
        severity: 'P1',
        serviceMode: 'on-site',
        errorCodes: ['E42'],
        receivedAt: '2026-03-10T02:00:00.000Z',
      });
      const stored = await t.http('GET', `/requests/${res.body.id}`);
      expect(stored.body).toMatchObject({ assetId: 'A-BANK-1', warranty: 'in-warranty', contract: { contractId: 'K-BANK-7x24' } });
    });

    it('offers a published knowledge article whose error code matches', async () => {
      const articleId = randomUUID();
      await deliver(
        bus,
        upstreamEvent('case.knowledge.published.v1', articleId, {
          articleId,
          version: 1,
          title: 'Controller battery failure takes the array offline',
          productLine: 'storage',
          symptom: 'array offline after power loss',
          errorCodes: ['BAT-0x7781'],
          solution: 'replace the controller battery and restart the array',
          language: 'en',
          publishedAt: clock.now().toISOString(),
        }),
      );
      const res = await t.http('POST', '/requests', {
        body: call({ errorCodes: ['BAT-0x7781'] }),
      });
      expect(res.status).toBe(201);
      expect(res.body.suggestedArticles).toEqual([expect.objectContaining({ articleId, matchedErrorCodes: ['BAT-0x7781'] })]);
      const plain = await t.http('POST', '/requests', {
        body: call({ symptom: 'printer jams' }),
      });
      expect(plain.body.suggestedArticles).toEqual([]);
    });

    it('takes the contact from contactId alone', async () => {
      const res = await t.http('POST', '/requests', {
        body: { contactId: 'K-WANG', channel: 'phone', symptom: 'how do I add a LUN?', impact: 'question' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ customerId: 'C-BANK', contact: { name: 'Wang Fang', phone: '+86 10 5555-0100' }, severity: 'P4' });
      expect(res.body.serviceMode).toBe('remote');
    });

    it('suggests paid service out of warranty, carry-in under warranty without contract, exchange for DOA', async () => {
      const shop = { customerId: 'C-SHOP', contact: { name: 'Zhao Min' } };
      const paid = await t.http('POST', '/requests', { body: call({ ...shop, serialNumber: 'SN-SHOP-1', impact: 'partial-fault' }) });
      expect(paid.body).toMatchObject({ warranty: 'expired', serviceMode: 'paid', severity: 'P3', contactId: 'K-SHOP' });
      const carry = await t.http('POST', '/requests', { body: call({ ...shop, serialNumber: 'SN-SHOP-2', impact: 'degraded' }) });
      expect(carry.body).toMatchObject({ warranty: 'in-warranty', serviceMode: 'carry-in', severity: 'P2' });
      const doa = await t.http('POST', '/requests', {
        body: call({ ...shop, serialNumber: 'SN-SHOP-2', doa: true, allowDuplicate: true, duplicateOverrideReason: 'second unit' }),
      });
      expect(doa.body).toMatchObject({ serviceMode: 'return-exchange' });
      expect((await eventFor(doa.body.id)).data).toMatchObject({ serviceMode: 'return-exchange', warranty: 'in-warranty' });
    });

    it('never reveals another customer’s asset behind a serial', async () => {
      const res = await t.http('POST', '/requests', {
        body: call({ customerId: 'C-SHOP', contact: { name: 'Zhao Min' }, serialNumber: 'SN-BANK-7' }),
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ customerId: 'C-SHOP', assetId: null, productLine: null, warranty: 'unknown', contract: null });
      expect(JSON.stringify(res.body)).not.toMatch(/A-BANK|OceanStor|K-BANK/);
    });

    it('refuses an unknown customer, an unknown caller, an ambiguous number and a contact of someone else (422, nothing written)', async () => {
      const before = await rows();
      const cases: Array<[Record<string, unknown>, string, RegExp]> = [
        [call({ customerId: 'C-NOPE' }), 'customerId', /unknown customer/],
        [call({ contact: { name: 'Stranger', phone: '+1 555 0000' } }), 'customerId', /required/],
        [call({ contact: { name: 'Twin', phone: '+86 21 7777 0300' } }), 'customerId', /several customers/],
        [call({ customerId: 'C-SHOP', contactId: 'K-WANG' }), 'contactId', /unknown contact/],
        [{ contactId: 'K-NOPE', channel: 'phone', symptom: 'x' }, 'contactId', /unknown contact/],
      ];
      for (const [body, field, reason] of cases) {
        const res = await t.http('POST', '/requests', { body });
        expect(res.status).toBe(422);
        expect(res.body.errors).toEqual([{ field, reason: expect.stringMatching(reason) }]);
      }
      const unregistered = await tokenFor('customer', { customerId: 'C-GHOST' });
      const ghost = await t.http('POST', '/requests', { token: unregistered, body: call({ channel: 'portal' }) });
      expect(ghost.status).toBe(422);
      expect(ghost.body.errors).toEqual([{ field: 'customerId', reason: 'unknown customer' }]);
      expect(await rows()).toEqual(before);
    });
  });

  describe('triage overrides need a reason', () => {
    it('refuses a severity or service mode override without a reason, naming the field, and writes nothing', async () => {
      const before = await rows();
      const res = await t.http('POST', '/requests', { body: call({ serialNumber: 'SN-BANK-2', severity: 'P3', serviceMode: 'remote' }) });
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['severityReason', 'serviceModeReason']);
      expect(await rows()).toEqual(before);
    });

    it('keeps the suggestion and the reason of an override on the request and publishes the agent’s choice', async () => {
      const res = await t.http('POST', '/requests', {
        body: call({
          serialNumber: 'SN-BANK-2',
          severity: 'P2',
          severityReason: 'standby array took over, business runs',
          serviceMode: 'remote',
          serviceModeReason: 'known firmware fix, applied remotely',
        }),
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        severity: 'P2',
        suggestedSeverity: 'P1',
        severityReason: 'standby array took over, business runs',
        serviceMode: 'remote',
        suggestedServiceMode: 'on-site',
        serviceModeReason: 'known firmware fix, applied remotely',
      });
      expect((await eventFor(res.body.id)).data).toMatchObject({ severity: 'P2', serviceMode: 'remote' });
    });

    it('files a complaint about a case as a complaint', async () => {
      // the case complained about: the fault on SN-BANK-2 filed above, opened by case
      const [fault] = (await t.http('GET', '/requests?serialNumber=SN-BANK-2')).body.items;
      await openCase(fault.id, 'NORTH-2026-000042');
      const res = await t.http('POST', '/requests', {
        body: call({
          serialNumber: 'SN-BANK-2',
          impact: undefined,
          symptom: 'engineer came two days late',
          complaintAbout: { caseNumber: 'NORTH-2026-000042' },
        }),
      });
      expect(res.status).toBe(201); // not a duplicate of the open fault on the same unit
      expect(res.body).toMatchObject({ serviceMode: 'complaint', complaintAbout: { caseNumber: 'NORTH-2026-000042' } });
      expect((await eventFor(res.body.id)).data).toMatchObject({
        serviceMode: 'complaint',
        complaintAbout: { caseNumber: 'NORTH-2026-000042' },
      });
    });
  });

  describe('duplicates: the same call within the window links to the open request', () => {
    it('links a repeated call, shows the match with its case, and opens a new request once the case is closed', async () => {
      const body = call({ serialNumber: 'SN-BANK-3' });
      const first = await t.http('POST', '/requests', { body });
      expect(first.status).toBe(201);

      clock.advanceMinutes(30);
      const again = await t.http('POST', '/requests', {
        body: { ...body, channel: 'email', contact: { name: 'Wang Fang', email: 'WANG@bank.example' } },
      });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ linkedRequestId: first.body.id, duplicateOf: { requestId: first.body.id } });

      const caseId = await openCase(first.body.id, 'NORTH-2026-000100');
      const third = await t.http('POST', '/requests', { body });
      expect(third.status).toBe(200);
      expect(third.body.duplicateOf).toEqual({ requestId: first.body.id, caseId, caseNumber: 'NORTH-2026-000100' });
      expect((await t.http('GET', `/requests/${again.body.id}`)).body).toMatchObject({ caseId, caseNumber: 'NORTH-2026-000100' });

      const linked = await waitFor('two linked events', () => {
        const l = published.filter(
          (e) => e.type === 'intake.request.linked.v1' && (e.data as { linkedRequestId: string }).linkedRequestId === first.body.id,
        );
        return l.length === 2 && l;
      });
      expect(linked.map((e) => e.subject).sort()).toEqual([again.body.id, third.body.id].sort());
      const received = published.filter(
        (e) => e.type === 'intake.request.received.v1' && (e.data as { assetId?: string }).assetId === 'A-BANK-3',
      );
      expect(received).toHaveLength(1);
      const calls = await t.http('GET', `/requests?linkedRequestId=${first.body.id}`);
      expect(calls.body.total).toBe(2);
      expect((await t.http('GET', `/requests?caseId=${caseId}`)).body.total).toBe(3);

      // resolved is still open (the customer may say it is not fixed); closed is not
      await changeStatus(caseId, 'NORTH-2026-000100', 'in-progress', 'resolved');
      expect((await t.http('POST', '/requests', { body })).status).toBe(200);
      await changeStatus(caseId, 'NORTH-2026-000100', 'confirmed', 'closed');
      const fresh = await t.http('POST', '/requests', { body });
      expect(fresh.status).toBe(201);
      expect(fresh.body.linkedRequestId).toBeNull();
      expect((await eventFor(fresh.body.id)).type).toBe('intake.request.received.v1');
    });

    it('opens a new request once the window has passed', async () => {
      const body = call({ serialNumber: 'SN-BANK-5' });
      expect((await t.http('POST', '/requests', { body })).status).toBe(201);
      clock.advanceMinutes(71 * 60);
      expect((await t.http('POST', '/requests', { body })).status).toBe(200);
      clock.advanceMinutes(2 * 60);
      expect((await t.http('POST', '/requests', { body })).status).toBe(201);
    });

    it('lets the agent file a second request for the same unit only with a reason', async () => {
      const body = call({ serialNumber: 'SN-BANK-6' });
      const first = await t.http('POST', '/requests', { body });
      const before = await rows();
      const noReason = await t.http('POST', '/requests', { body: { ...body, allowDuplicate: true } });
      expect(noReason.status).toBe(422);
      expect(noReason.body.errors).toEqual([{ field: 'duplicateOverrideReason', reason: expect.any(String) }]);
      expect(await rows()).toEqual(before);
      const forced = await t.http('POST', '/requests', {
        body: { ...body, allowDuplicate: true, duplicateOverrideReason: 'second controller failed separately' },
      });
      expect(forced.status).toBe(201);
      expect(forced.body).toMatchObject({ linkedRequestId: null, duplicateOverrideReason: 'second controller failed separately' });
      expect(forced.body.id).not.toBe(first.body.id);
    });

    it('makes one request when identical calls arrive at the same time', async () => {
      const body = call({ serialNumber: 'SN-BANK-4' });
      const results = await Promise.all(Array.from({ length: 5 }, () => t.http('POST', '/requests', { body })));
      expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
      const original = results.find((r) => r.status === 201)!.body.id;
      for (const r of results.filter((x) => x.status === 200)) expect(r.body.duplicateOf.requestId).toBe(original);
      await waitFor('all five events', () => results.every((r) => published.some((e) => e.subject === r.body.id)));
      const received = published.filter(
        (e) => e.type === 'intake.request.received.v1' && (e.data as { assetId?: string }).assetId === 'A-BANK-4',
      );
      expect(received).toHaveLength(1);
    });

    it('replays a linked answer for a retried Idempotency-Key', async () => {
      const body = call({ serialNumber: 'SN-BANK-4' });
      const first = await t.http('POST', '/requests', { body, headers: { 'idempotency-key': 'desk-dup-1' } });
      const retry = await t.http('POST', '/requests', { body, headers: { 'idempotency-key': 'desk-dup-1' } });
      expect(first.status).toBe(200);
      expect(retry.status).toBe(200);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body).toEqual(first.body);
    });
  });

  describe('portal: a customer sees and files only its own requests', () => {
    it('files for itself, resolving its own asset, and gets 404 for another customer’s request', async () => {
      const bank = await tokenFor('customer', { customerId: 'C-BANK' });
      const shop = await tokenFor('customer', { customerId: 'C-SHOP' });
      const filed = await t.http('POST', '/requests', {
        token: bank,
        body: {
          contact: { name: 'Wang Fang', email: 'wang@bank.example' },
          channel: 'portal',
          symptom: 'fan alarm',
          impact: 'partial-fault',
          serialNumber: 'SN-BANK-7',
        },
      });
      expect(filed.status).toBe(201);
      expect(filed.body).toMatchObject({ customerId: 'C-BANK', contactId: 'K-WANG', assetId: 'A-BANK-7', severity: 'P3' });
      expect((await t.http('GET', `/requests/${filed.body.id}`, { token: bank })).status).toBe(200);
      expect((await t.http('GET', `/requests/${filed.body.id}`, { token: shop })).status).toBe(404);
      const theirs = await t.http('GET', '/requests?limit=200&customerId=C-BANK', { token: shop });
      expect(theirs.body.items.length).toBeGreaterThan(0);
      expect(theirs.body.items.every((r: { customerId: string }) => r.customerId === 'C-SHOP')).toBe(true);
      const mine = await t.http('GET', '/requests?limit=200', { token: bank });
      expect(mine.body.items.map((r: { id: string }) => r.id)).toContain(filed.body.id);
      expect(mine.body.items.every((r: { customerId: string }) => r.customerId === 'C-BANK')).toBe(true);
      // the shop cannot file against the bank's unit: the serial resolves to nothing for it
      const probe = await t.http('POST', '/requests', {
        token: shop,
        body: { contact: { name: 'Zhao Min' }, channel: 'portal', symptom: 'x', serialNumber: 'SN-BANK-7' },
      });
      expect(probe.status).toBe(201);
      expect(probe.body).toMatchObject({ customerId: 'C-SHOP', assetId: null, warranty: 'unknown' });
      expect(probe.body.duplicateOf).toBeUndefined();
    });
  });

  describe('bad input names the field and writes nothing', () => {
    const cases: Array<[string, Record<string, unknown>, number, string[]]> = [
      ['an unknown impact and fault kind', call({ impact: 'meh', faultKind: 'cosmic' }), 400, ['impact', 'faultKind']],
      ['an unknown service mode', call({ serviceMode: 'teleport', serviceModeReason: 'x' }), 400, ['serviceMode']],
      ['a complaint about nothing', call({ complaintAbout: {} }), 400, ['complaintAbout.caseNumber']],
      ['a bad case id', call({ complaintAbout: { caseId: 'nope' } }), 400, ['complaintAbout.caseId']],
      [
        'a malformed attachment',
        call({ attachments: [{ attachmentId: 'x', filename: 'a.png' }] }),
        400,
        ['attachments.0.attachmentId', 'attachments.0.size'],
      ],
      ['a non-boolean flag', call({ doa: 'yes', allowDuplicate: 'sure' }), 400, ['doa', 'allowDuplicate']],
      ['no contact and no contactId', { customerId: 'C-BANK', channel: 'phone', symptom: 'x' }, 400, ['contact']],
      ['a bad contactId', call({ contactId: 'a b' }), 400, ['contactId']],
      [
        'a complaint about a case filed as on-site',
        call({ complaintAbout: { caseNumber: 'N-1' }, serviceMode: 'on-site', serviceModeReason: 'x' }),
        422,
        ['serviceMode'],
      ],
    ];
    it.each(cases)('%s', async (_, body, status, fields) => {
      const before = await rows();
      const res = await t.http('POST', '/requests', { body });
      expect(res.status).toBe(status);
      const named = (res.body.errors as Array<{ field: string }>).map((e) => e.field);
      for (const f of fields) expect(named).toContain(f);
      expect(await rows()).toEqual(before);
    });

    it('rejects bad list filters', async () => {
      expect((await t.http('GET', '/requests?caseId=nope')).status).toBe(400);
      expect((await t.http('GET', '/requests?color=red')).status).toBe(400);
    });
  });
});
