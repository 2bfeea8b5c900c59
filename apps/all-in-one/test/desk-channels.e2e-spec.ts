import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import { caseService } from '@aftersales/service-case';
import { intakeService, SmtpListener } from '@aftersales/service-intake';
import { startTestService, TestService, tokenFor, waitFor } from '@aftersales/testing';
import { createTransport } from 'nodemailer';

/**
 * Issue 3's channel scenarios, end to end over the bus: every way a customer reaches the desk —
 * phone (agent desk), portal, e-mail, after-hours voicemail — ends in one case with the right
 * customer, asset, warranty and severity; the same call twice is one case, and after close a new
 * one; a customer never sees (or learns of) another customer's case.
 *
 * Intake runs on a ManualClock (Friday 2026-11-20 20:00 in Shanghai: after hours for the
 * business-hours customer), the case service on the system clock.
 */
const SUPPORT = 'support@aftersales.local';
const weekdays = Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ start: '09:00', end: '18:00' }]]));

describe('desk channels end to end: intake and case on one bus (real PostgreSQL)', () => {
  const clock = new ManualClock('2026-11-20T20:00:00+08:00');
  let intake: TestService;
  let cases: TestService;
  let send: (mail: {
    from: string;
    subject: string;
    text: string;
    attachments?: Array<{ filename: string; content: Buffer }>;
  }) => Promise<unknown>;

  beforeAll(async () => {
    const bus = new InProcessBus();
    intake = await startTestService(intakeService, { bus, clock, env: { INTAKE_SMTP_PORT: '0', INTAKE_HANDOFF_SWEEP_MS: '0' } });
    cases = await startTestService(caseService, { bus });
    const post = async (path: string, body: unknown) => {
      const res = await intake.http('POST', path, { body, role: 'admin' });
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    };
    await post('/calendars', { id: 'CAL-SH', timeZone: 'Asia/Shanghai', kind: 'business-hours', weekly: weekdays });
    await post('/customers', { id: 'C-247', name: 'Beijing Metro', region: 'north' });
    await post('/customers', { id: 'C-BH', name: 'Shanghai Library', region: 'north' });
    await post('/contacts', { id: 'P-247', customerId: 'C-247', name: 'Li Wei', phone: '+86 10 5555 0100', email: 'li.wei@metro.example' });
    await post('/contacts', {
      id: 'P-BH',
      customerId: 'C-BH',
      name: 'Zhang Min',
      phone: '+86 21 6666 0200',
      email: 'zhang@library.example',
    });
    const term = { startsOn: '2026-01-01', endsOn: '2027-12-31' };
    await post('/contracts', { id: 'K-247', customerId: 'C-247', coverage: '7x24', ...term });
    await post('/contracts', { id: 'K-BH', customerId: 'C-BH', coverage: 'business-hours', calendarId: 'CAL-SH', ...term });
    // SN-IN still under its own warranty; SN-OLD out of warranty but under the 7x24 contract; SN-BH in warranty
    for (const [id, customerId, contractId, model, serialNumber, warrantyEndsOn] of [
      ['A-IN', 'C-247', 'K-247', 'OceanStor 5500', 'SN-IN', '2027-06-30'],
      ['A-OLD', 'C-247', 'K-247', 'FusionServer', 'SN-OLD', '2025-01-31'],
      ['A-BH2', 'C-BH', 'K-BH', 'Tape T-9', 'SN-BH2', '2027-01-31'],
      ['A-BH', 'C-BH', 'K-BH', 'Tape T-9', 'SN-BH', '2027-01-31'],
    ])
      await post('/assets', { id, customerId, contractId, model, serialNumber, warrantyEndsOn });

    const transport = createTransport({
      host: '127.0.0.1',
      port: intake.service.app.get(SmtpListener).port,
      secure: false,
      ignoreTLS: true,
    });
    send = (mail) => transport.sendMail({ to: SUPPORT, ...mail });
  });
  afterAll(async () => {
    await cases?.stop();
    await intake?.stop();
  });

  /** The case the request became (the case service opened it from intake's event). */
  const caseOf = (requestId: string) =>
    waitFor(`the case of request ${requestId}`, async () => {
      const res = await cases.http('GET', `/cases?requestId=${requestId}`);
      return res.body.items?.[0];
    });
  const casesOfCustomer = async (customerId: string) =>
    (await cases.http('GET', `/cases?limit=100`)).body.items.filter((c: { customerId: string }) => c.customerId === customerId);

  it('phone desk: the caller number finds the customer, the serial the asset and its warranty; the case carries them', async () => {
    const lookup = await intake.http('GET', `/desk/lookup?phone=${encodeURIComponent('010-5555-0100')}`, { role: 'agent' });
    expect(lookup.status).toBe(200);
    const [match] = lookup.body.matches;
    expect(match.customer).toMatchObject({ id: 'C-247' });
    const warranty = Object.fromEntries(
      match.assets.map((a: { asset: { serialNumber: string }; warranty: string }) => [a.asset.serialNumber, a.warranty]),
    );
    expect(warranty).toEqual({ 'SN-IN': 'in-warranty', 'SN-OLD': 'under-contract' });

    const filed = await intake.http('POST', '/requests', {
      role: 'agent',
      body: {
        channel: 'phone',
        contact: { name: 'Li Wei', phone: '+86 10 5555 0100' },
        customerId: 'C-247',
        serialNumber: 'SN-OLD',
        impact: 'system-down',
        faultKind: 'hardware',
        symptom: 'server will not boot after power loss',
        errorCodes: ['POST-0042'],
      },
    });
    expect(filed.status).toBe(201);
    const c = await caseOf(filed.body.id);
    expect(c).toMatchObject({
      customerId: 'C-247',
      assetId: 'A-OLD',
      serialNumber: 'SN-OLD',
      warranty: 'under-contract',
      severity: 'P1',
      channel: 'phone',
      serviceMode: 'on-site',
      contract: expect.objectContaining({ contractId: 'K-247', coverage: '7x24' }),
    });
  });

  it('portal: a customer files for itself only, and cannot read, list or guess another customer’s case (404, not 403)', async () => {
    const bh = await tokenFor('customer', { customerId: 'C-BH', sub: 'zhang' });
    const metro = await tokenFor('customer', { customerId: 'C-247', sub: 'li' });
    const filed = await intake.http('POST', '/requests', {
      token: bh,
      body: {
        channel: 'portal',
        contactId: 'P-BH',
        serialNumber: 'SN-BH',
        impact: 'partial-fault',
        faultKind: 'software',
        symptom: 'tape library reports slot 3 offline',
      },
    });
    expect(filed.status).toBe(201);
    const c = await caseOf(filed.body.id);
    expect(c).toMatchObject({ customerId: 'C-BH', assetId: 'A-BH', warranty: 'in-warranty', severity: 'P3', channel: 'portal' });

    expect((await cases.http('GET', `/cases/${c.id}`, { token: bh })).status).toBe(200);
    const asOther = await cases.http('GET', `/cases/${c.id}`, { token: metro });
    expect(asOther.status).toBe(404);
    expect((await cases.http('GET', `/cases/by-number/${c.caseNumber}`, { token: metro })).status).toBe(404);
    expect((await cases.http('GET', `/cases/${c.id}/worklog`, { token: metro })).status).toBe(404);
    expect((await cases.http('GET', `/cases?limit=100`, { token: metro })).body.items.map((x: { id: string }) => x.id)).not.toContain(c.id);
    expect((await intake.http('GET', `/requests/${filed.body.id}`, { token: metro })).status).toBe(404);
    // a customer cannot file for someone else, nor attach another customer's asset
    const other = await intake.http('POST', '/requests', {
      token: metro,
      body: { channel: 'portal', contact: { name: 'Li Wei' }, serialNumber: 'SN-BH', symptom: 'is this yours?' },
    });
    expect(other.status).toBe(201);
    expect((await caseOf(other.body.id)).assetId).toBeNull();
  });

  it('e-mail: a real mail to the support address becomes a case for the sender’s customer; a reply with the case number lands on that case', async () => {
    await send({
      from: 'Li Wei <li.wei@metro.example>',
      subject: 'Array SN-IN degraded',
      text: 'Controller B reports E-RAID-7 since this morning.',
      attachments: [{ filename: 'controller.log', content: Buffer.from('E-RAID-7 at 09:12') }],
    });
    const request = await waitFor('the mailed request', async () => {
      const res = await intake.http('GET', '/requests?customerId=C-247&limit=100', { role: 'agent' });
      return res.body.items.find((r: { channel: string }) => r.channel === 'email');
    });
    const c = await caseOf(request.id);
    expect(c).toMatchObject({ customerId: 'C-247', channel: 'email' });
    expect(c.symptom).toContain('Array SN-IN degraded');

    await send({
      from: 'li.wei@metro.example',
      subject: `Re: [${c.caseNumber}] Array SN-IN degraded`,
      text: 'Log attached, it happened again at 14:00.',
    });
    const entry = await waitFor('the reply on the case', async () => {
      const log = await cases.http('GET', `/cases/${c.id}/worklog`);
      return log.body.items?.find((e: { kind: string }) => e.kind === 'email');
    });
    expect(entry.text).toContain('it happened again');
    // the reply opened no second case
    expect((await casesOfCustomer('C-247')).filter((x: { channel: string }) => x.channel === 'email')).toHaveLength(1);
  });

  it('voicemail after hours: Friday evening becomes a task due Monday 09:00 local, recorded then into a case', async () => {
    const vm = await intake.http('POST', '/voicemails', {
      role: 'agent',
      body: { callerNumber: '+86 21 6666 0200', callerName: 'Zhang Min', message: 'tape library down, error T-99' },
    });
    expect(vm.status).toBe(201);
    expect(vm.body).toMatchObject({ status: 'queued', customerId: 'C-BH', dueAt: '2026-11-23T01:00:00.000Z' });
    expect(await casesOfCustomer('C-BH')).toHaveLength(1); // only the portal case: no live request yet

    clock.set('2026-11-21T11:00:00+08:00'); // Saturday: nothing on the list
    expect((await intake.http('GET', '/voicemails?due=true', { role: 'agent' })).body.items).toEqual([]);
    clock.set('2026-11-23T09:02:00+08:00'); // Monday morning
    const due = (await intake.http('GET', '/voicemails?due=true', { role: 'agent' })).body.items;
    expect(due.map((v: { id: string }) => v.id)).toEqual([vm.body.id]);

    const recorded = await intake.http('POST', `/voicemails/${vm.body.id}/record`, {
      role: 'agent',
      // the second library: the first one's portal case is still open, so SN-BH would be linked to it as a repeat
      body: { symptom: 'tape library down, error T-99', impact: 'system-down', serialNumber: 'SN-BH2', errorCodes: ['T-99'] },
    });
    expect(recorded.status).toBe(201);
    const c = await caseOf(recorded.body.requestId);
    expect(c).toMatchObject({ customerId: 'C-BH', assetId: 'A-BH2', warranty: 'in-warranty', severity: 'P1', channel: 'voicemail' });
  });

  it('duplicates: the same call twice within the window is one case (the repeat is logged on it); after close, a new case', async () => {
    const call = {
      channel: 'phone',
      customerId: 'C-247',
      contact: { name: 'Li Wei', phone: '+86 10 5555 0100' },
      serialNumber: 'SN-IN',
      impact: 'degraded',
      symptom: 'array slow, latency 200 ms',
    };
    const first = await intake.http('POST', '/requests', { role: 'agent', body: call });
    expect(first.status).toBe(201);
    const c = await caseOf(first.body.id);
    clock.advanceMinutes(30);
    const again = await intake.http('POST', '/requests', { role: 'agent', body: call });
    expect(again.status).toBe(200);
    expect(again.body.duplicateOf).toMatchObject({ requestId: first.body.id, caseId: c.id, caseNumber: c.caseNumber });
    await waitFor('the repeat call on the case', async () => {
      const log = await cases.http('GET', `/cases/${c.id}/worklog`);
      return log.body.items?.find((e: { text: string }) => /repeat call/i.test(e.text));
    });
    expect((await cases.http('GET', `/cases?requestId=${again.body.id}`)).body.items).toHaveLength(0);

    // the agent closes the case (solved on the phone); the next call about the asset is a new case
    const closed = await cases.http('POST', `/cases/${c.id}/transitions`, {
      role: 'agent',
      body: { to: 'closed', reason: 'advised a controller restart on the phone; customer confirmed' },
    });
    expect(closed.status).toBe(200);
    await waitFor('intake sees the case closed', async () => {
      const r = await intake.http('GET', `/requests/${first.body.id}`, { role: 'agent' });
      return r.body.caseStatus === 'closed' || undefined;
    });
    clock.advanceMinutes(30);
    const later = await intake.http('POST', '/requests', { role: 'agent', body: call });
    expect(later.status).toBe(201);
    expect(later.body.duplicateOf).toBeUndefined();
    const second = await caseOf(later.body.id);
    expect(second.id).not.toBe(c.id);
  });
});
