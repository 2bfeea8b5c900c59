import { randomUUID } from 'node:crypto';
import { InProcessBus } from '@aftersales/messaging';
import { deliver, requestReceived, startTestService, TestService, tokenFor, upstreamEvent } from '@aftersales/testing';
import { caseService } from '../src/case.service-definition';

/** The audit trail: who did what when; customers see their own cases' public entries, and nothing at all of others'. */
describe('case work log and customer scoping (real PostgreSQL, in-process bus)', () => {
  let t: TestService;
  let admin: string;
  let mine: string;
  let stranger: string;

  beforeAll(async () => {
    t = await startTestService(caseService, { bus: new InProcessBus({ retryBackoffMs: [10] }) });
    admin = await tokenFor('admin');
    mine = await tokenFor('customer', { customerId: 'C-W1', sub: 'li.wei' });
    stranger = await tokenFor('customer', { customerId: 'C-W2' });
    await t.http('POST', '/engineers', {
      token: admin,
      body: { id: 'hl', name: 'Hotline He', tier: 'L1', grade: 'maintenance-engineer', region: 'north' },
    });
  });
  afterAll(() => t.stop());

  async function open(over: Parameters<typeof requestReceived>[0] = {}) {
    const request = requestReceived({ severity: 'P3', customerId: 'C-W1', ...over });
    await deliver(t.bus, upstreamEvent('intake.request.received.v1', request.requestId, request));
    const c = (await t.http('GET', `/cases?requestId=${request.requestId}`, { token: admin })).body.items[0];
    return { ...c, request };
  }
  const log = async (id: string, token?: string) => (await t.http('GET', `/cases/${id}/worklog`, { token })).body.items;

  it('a note retried with the same Idempotency-Key is logged once; the key reused with another text is refused', async () => {
    const c = await open();
    const eng = await tokenFor('engineer', { sub: 'hl-retry' });
    const send = (text: string) =>
      t.http('POST', `/cases/${c.id}/worklog`, { token: eng, body: { kind: 'call', text }, headers: { 'Idempotency-Key': `n-${c.id}` } });
    const first = await send('called back, planned a reboot');
    const retry = await send('called back, planned a reboot');
    expect([first.status, retry.status, retry.headers.get('idempotent-replayed')]).toEqual([201, 201, 'true']);
    expect(retry.body.id).toBe(first.body.id);
    expect((await log(c.id)).filter((e: { text: string }) => e.text === 'called back, planned a reboot')).toHaveLength(1);
    const reused = await send('something else');
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ errors: [{ field: 'Idempotency-Key' }] });
  });

  it('records notes and calls with who and when; the customer sees only the public ones, without internal data', async () => {
    const c = await open();
    const eng = await tokenFor('engineer', { sub: 'hl' });
    const note = await t.http('POST', `/cases/${c.id}/worklog`, {
      token: eng,
      body: { kind: 'note', text: 'suspect controller B', public: false },
    });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ kind: 'note', public: false, actor: { subject: 'hl', role: 'engineer' }, at: expect.any(String) });
    await t.http('POST', `/cases/${c.id}/worklog`, {
      token: eng,
      body: { kind: 'call', text: 'called the customer, reboot planned', public: true },
    });
    const staffView = await log(c.id);
    expect(staffView.map((e: { text: string }) => e.text)).toEqual(
      expect.arrayContaining(['suspect controller B', 'called the customer, reboot planned']),
    );
    const customerView = await log(c.id, mine);
    expect(customerView.every((e: { public: boolean }) => e.public)).toBe(true);
    expect(customerView.map((e: { text: string }) => e.text)).toContain('called the customer, reboot planned');
    expect(customerView.map((e: { text: string }) => e.text)).not.toContain('suspect controller B');
    expect(customerView.some((e: { data?: unknown }) => 'data' in e)).toBe(false);
    // the customer writes public notes only
    const own = await t.http('POST', `/cases/${c.id}/worklog`, { token: mine, body: { kind: 'note', text: 'rebooted, still down' } });
    expect(own.body).toMatchObject({ public: true, actor: { role: 'customer' } });
    const hidden = await t.http('POST', `/cases/${c.id}/worklog`, { token: mine, body: { kind: 'note', text: 'x', public: false } });
    expect(hidden.body).toMatchObject({ statusCode: 422, errors: [{ field: 'public' }] });
    // bad input names the field and writes nothing
    const before = (await log(c.id)).length;
    expect((await t.http('POST', `/cases/${c.id}/worklog`, { body: { kind: 'status', text: 'x' } })).body.errors[0].field).toBe('kind');
    expect((await t.http('POST', `/cases/${c.id}/worklog`, { body: { kind: 'note', text: '' } })).body.errors[0].field).toBe('text');
    expect((await log(c.id)).length).toBe(before);
  });

  describe('the first response to the customer (case.customer-responded.v1, stops the response clocks)', () => {
    /** What the service committed to announce: the outbox is what will be published, so "never announced" is checked here. */
    const responded = async (caseId: string): Promise<Array<Record<string, unknown>>> =>
      (
        await t.service.runtime.dataSource.query(
          `SELECT payload FROM "${t.schema}".outbox WHERE aggregate_id = $1 AND event_type = 'case.customer-responded.v1' ORDER BY id`,
          [caseId],
        )
      ).map((r: { payload: Record<string, unknown> }) => r.payload);
    const post = (id: string, token: string, body: Record<string, unknown>) => t.http('POST', `/cases/${id}/worklog`, { token, body });

    it('is the first public entry staff write: internal notes and the customer’s own words are not; a second answer is not announced again', async () => {
      const c = await open();
      const eng = await tokenFor('engineer', { sub: 'hl' });
      expect(await responded(c.id)).toEqual([]); // opened, triaged and assigned by the system: nobody answered yet
      expect((await post(c.id, eng, { kind: 'note', text: 'suspect controller B', public: false })).status).toBe(201);
      expect((await post(c.id, mine, { kind: 'note', text: 'any news?' })).status).toBe(201);
      expect(await responded(c.id)).toEqual([]);

      const call = await post(c.id, eng, { kind: 'call', text: 'called back, collecting logs', public: true });
      expect(call.status).toBe(201);
      expect(await responded(c.id)).toEqual([
        {
          caseId: c.id,
          caseNumber: c.caseNumber,
          region: 'north',
          customerId: 'C-W1',
          kind: 'call',
          workLogEntryId: call.body.id,
          actor: { subject: 'hl', role: 'engineer' },
          at: new Date(call.body.at).toISOString(),
        },
      ]);
      await post(c.id, eng, { kind: 'note', text: 'logs received', public: true });
      expect(await responded(c.id)).toHaveLength(1);
    });

    it('two staff answering at the same moment announce one response', async () => {
      const c = await open();
      const [a, b] = await Promise.all([
        post(c.id, await tokenFor('engineer', { sub: 'hl' }), { kind: 'call', text: 'calling you now', public: true }),
        post(c.id, admin, { kind: 'note', text: 'we are on it', public: true }),
      ]);
      expect([a.status, b.status]).toEqual([201, 201]);
      const [only, ...more] = await responded(c.id);
      expect(more).toEqual([]);
      expect([a.body.id, b.body.id]).toContain(only?.workLogEntryId);
    });

    it('a staff move into remote work is first-line contact; an escalation is not', async () => {
      const c = await open();
      const eng = await tokenFor('engineer', { sub: 'hl' });
      const move = (to: string, reason?: string) =>
        t.http('POST', `/cases/${c.id}/transitions`, { token: eng, body: { to, ...(reason ? { reason } : {}) } });
      expect((await move('escalated', 'needs second line')).status).toBe(200);
      expect(await responded(c.id)).toEqual([]);
      expect((await move('in-progress')).status).toBe(200);
      expect(await responded(c.id)).toEqual([
        expect.objectContaining({ caseId: c.id, kind: 'status', status: 'in-progress', actor: { subject: 'hl', role: 'engineer' } }),
      ]);
      await post(c.id, eng, { kind: 'call', text: 'reboot planned', public: true });
      expect(await move('waiting-customer', 'awaiting the logs')).toMatchObject({ status: 200 });
      expect(await responded(c.id)).toHaveLength(1);
    });
  });

  it('gives another customer 404 for everything about the case: read, list, guess the number, history, log, moves', async () => {
    const c = await open();
    expect((await t.http('GET', `/cases/${c.id}`, { token: mine })).status).toBe(200);
    expect((await t.http('GET', `/cases/by-number/${c.caseNumber}`, { token: mine })).body.id).toBe(c.id);
    for (const [method, path, body] of [
      ['GET', `/cases/${c.id}`],
      ['GET', `/cases/by-number/${c.caseNumber}`],
      ['GET', `/cases/${c.id}/history`],
      ['GET', `/cases/${c.id}/worklog`],
      ['POST', `/cases/${c.id}/worklog`, { kind: 'note', text: 'hello' }],
      ['POST', `/cases/${c.id}/transitions`, { to: 'confirmed' }],
      ['POST', `/cases/${c.id}/assignment`, { engineerId: 'hl', reason: 'x' }],
      ['GET', `/cases/${randomUUID()}`],
      ['GET', `/cases/by-number/NORTH-2026-999999`],
    ] as Array<[string, string, unknown?]>) {
      const r = await t.http(method, path, { token: stranger, body });
      expect({ method, path, status: r.status }).toEqual({ method, path, status: 404 });
    }
    expect((await t.http('GET', `/cases?caseNumber=${c.caseNumber}`, { token: stranger })).body).toMatchObject({ items: [], total: 0 });
    expect((await t.http('GET', `/cases?requestId=${c.requestId}`, { token: stranger })).body.items).toEqual([]);
    expect((await t.http('GET', '/cases', { token: stranger })).body.items.some((x: { id: string }) => x.id === c.id)).toBe(false);
    // and nothing was written by the attempts
    expect((await log(c.id)).some((e: { text: string }) => e.text === 'hello')).toBe(false);
  });

  it('lists cases by status, severity and assignee, paged', async () => {
    const p4 = await open({ severity: 'P4', customerId: 'C-LIST' });
    const q = (s: string) => t.http('GET', `/cases?${s}`).then((r) => r.body);
    const byOwner = await q('assignee=hl&severity=P4&status=assigned&limit=1');
    expect(byOwner.items).toHaveLength(1);
    expect(byOwner.items[0]).toMatchObject({ assigneeId: 'hl', severity: 'P4', status: 'assigned' });
    expect(byOwner.total).toBeGreaterThanOrEqual(1);
    expect((await q(`assignee=me&requestId=${p4.requestId}`)).items).toEqual([]);
    const asEngineer = await t.http('GET', `/cases?assignee=me&requestId=${p4.requestId}`, {
      token: await tokenFor('engineer', { sub: 'hl' }),
    });
    expect(asEngineer.body.items.map((x: { id: string }) => x.id)).toEqual([p4.id]);
    expect((await t.http('GET', '/cases?status=lost')).body.errors[0].field).toBe('status');
    expect((await t.http('GET', '/cases?severity=P9')).body.errors[0].field).toBe('severity');
  });

  it('logs a repeat call on the case of the linked request (public), once however often it is delivered', async () => {
    const c = await open();
    const linked = upstreamEvent('intake.request.linked.v1', randomUUID(), {
      requestId: randomUUID(),
      linkedRequestId: c.requestId,
      region: 'north',
      customerId: 'C-W1',
      channel: 'phone',
      symptom: 'still offline',
      receivedAt: new Date().toISOString(),
    });
    await deliver(t.bus, linked);
    await deliver(t.bus, linked);
    const calls = (await log(c.id, mine)).filter((e: { kind: string }) => e.kind === 'call');
    expect(calls).toHaveLength(1);
    expect(calls[0].text).toMatch(/repeat call.*still offline/);
  });

  it('logs a mail reply on the case with that number, only when it comes from the case’s customer', async () => {
    const c = await open();
    const mail = (over: Record<string, unknown>) =>
      upstreamEvent('intake.email.reply-received.v1', randomUUID(), {
        messageId: `<${randomUUID()}@example.com>`,
        caseNumber: c.caseNumber,
        region: 'north',
        from: 'Li Wei <LI.WEI@example.com>',
        subject: `Re: [${c.caseNumber}] storage array offline`,
        text: 'logs attached',
        receivedAt: new Date().toISOString(),
        attachments: [],
        ...over,
      });
    await deliver(t.bus, mail({ customerId: 'C-W1' }));
    await deliver(t.bus, mail({ customerId: 'C-W2', text: 'spoofed' }));
    await deliver(t.bus, mail({ from: 'eve@evil.example', text: 'unknown sender' }));
    await deliver(t.bus, mail({ text: 'known address, no customer id' }));
    const mails = (await log(c.id, mine)).filter((e: { kind: string }) => e.kind === 'email');
    expect(mails.map((e: { text: string }) => e.text.split('\n\n')[1])).toEqual(['logs attached', 'known address, no customer id']);
  });

  it('logs escalation rungs on the case for staff only', async () => {
    const c = await open();
    const now = new Date().toISOString();
    await deliver(
      t.bus,
      upstreamEvent('escalation.rung.reached.v1', c.id, {
        clockId: randomUUID(),
        caseId: c.id,
        region: 'north',
        severity: 'P3',
        policyId: 'ladder-b',
        policyVersion: 1,
        eventKey: 'rung:0',
        dueAt: now,
        firedAt: now,
        target: 'diagnosis',
        rungIndex: 0,
        afterMinutes: 240,
        label: 'Manager1 / senior engineer',
        notifyRoles: ['manager'],
      }),
    );
    expect((await log(c.id)).at(-1)).toMatchObject({ kind: 'system', public: false, text: expect.stringMatching(/Manager1.*240 min/) });
    expect((await log(c.id, mine)).some((e: { text: string }) => e.text.includes('Manager1'))).toBe(false);
  });
});
