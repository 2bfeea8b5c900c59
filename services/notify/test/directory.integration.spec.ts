import { ManualClock } from '@aftersales/platform';
import { caseOpened, deliver, TestService, tokenFor } from '@aftersales/testing';
import { randomUUID } from 'node:crypto';
import { DeliveryWorker } from '../src/deliveries/delivery-worker';
import { NotifyWithPeers, putPerson, recipientsOf as recipientsIn, rungReached, startNotifyWithPeers, warnOwnerOf } from './support/notify';
import { SmtpListener } from './support/peers';

/** 03:00 on Monday 2 March 2026 in Shanghai */
const THREE_AM = '2026-03-02T03:00:00+08:00';

/** Ladder B's first P1 rung to `roles` at `at`. */
const rung = (caseId: string, at: Date, roles: string[]) =>
  rungReached(caseId, at, {
    eventKey: 'rung:0',
    rungIndex: 0,
    afterMinutes: 10,
    label: '10min: Manager1 / senior engineer',
    notifyRoles: roles,
  });

describe('notify directory: roles, on-call rotations, deputies and the case owner (real PostgreSQL)', () => {
  const clock = new ManualClock(THREE_AM);
  let n: NotifyWithPeers;
  let t: TestService;
  let smtp: SmtpListener;
  let worker: DeliveryWorker;

  beforeAll(async () => {
    n = await startNotifyWithPeers(clock);
    ({ t, smtp, worker } = n);
  });
  afterAll(() => n?.stop());

  const person = (id: string, body: Record<string, unknown>) => putPerson(t, id, body);
  const recipientsOf = (caseId: string) => recipientsIn(t, caseId);

  it('at 03:00 the on-call engineer gets the P1 rung; the off-duty one does not', async () => {
    await person('night.owl', { roles: ['senior-engineer'], email: 'night.owl@example.com', phone: '+8613800000011' });
    await person('day.shift', { roles: ['senior-engineer'], email: 'day.shift@example.com', phone: '+8613800000012' });
    const week = [1, 2, 3, 4, 5, 6, 7];
    const rotation = await t.http('PUT', '/rotations/north/senior-engineer', {
      role: 'admin',
      body: {
        timeZone: 'Asia/Shanghai',
        shifts: [
          ...week.map((day) => ({ personId: 'night.owl', day, start: '18:00', end: '09:00' })),
          ...week.map((day) => ({ personId: 'day.shift', day, start: '09:00', end: '18:00' })),
        ],
      },
    });
    expect(rotation.status).toBe(200);
    expect((await t.http('GET', `/rotations/north/senior-engineer/on-call?at=${encodeURIComponent(THREE_AM)}`)).body.onCall).toEqual([
      'night.owl',
    ]);

    const caseId = randomUUID();
    await deliver(t.bus, rung(caseId, clock.now(), ['senior-engineer']));
    await worker.tick();
    expect((await recipientsOf(caseId)).sort()).toEqual(['email:night.owl@example.com', 'in-app:night.owl', 'sms:+8613800000011']);
    expect(smtp.messages.filter((m) => m.headers.get('x-aftersales-case') === caseId).map((m) => m.to)).toEqual(['night.owl@example.com']);
    const dayInbox = await t.http('GET', '/inbox', { token: await tokenFor('engineer', { sub: 'day.shift' }) });
    expect(dayInbox.body.items).toEqual([]);

    // at 10:00 the same role reaches the day shift
    const later = randomUUID();
    await deliver(t.bus, rung(later, new Date('2026-03-02T10:00:00+08:00'), ['senior-engineer']));
    expect((await recipientsOf(later)).filter((r: string) => r.startsWith('in-app'))).toEqual(['in-app:day.shift']);
  });

  it("sends an away manager's notices to the deputy, saying on whose behalf", async () => {
    await person('zhou.deputy', { roles: [], email: 'zhou@example.com', language: 'zh-CN' });
    await person('qian.m3', {
      roles: ['manager3'],
      email: 'qian@example.com',
      deputyId: 'zhou.deputy',
      awayFrom: '2026-03-01T00:00:00+08:00',
      awayUntil: '2026-03-08T00:00:00+08:00',
    });
    const caseId = randomUUID();
    await deliver(t.bus, rung(caseId, clock.now(), ['manager3']));
    const rows = (await t.http('GET', `/deliveries?caseId=${caseId}`, { role: 'manager' })).body.items;
    expect(rows.map((d: { recipient: string }) => d.recipient).sort()).toEqual(['zhou.deputy', 'zhou@example.com']);
    expect(rows[0]).toMatchObject({ onBehalfOf: 'qian.m3', language: 'zh-CN' });
    expect(rows[0].body).toContain('qian.m3 的代理人');
  });

  it('case-owner reaches the engineer who owns the case (case.assigned.v1), not a role queue', async () => {
    await person('E-7', { roles: ['engineer'], email: 'zhao.min@example.com' });
    const opened = caseOpened({ caseNumber: 'NORTH-2026-000777' });
    await warnOwnerOf(
      t,
      clock,
      opened,
      { id: 'E-7', name: 'Zhao Min' },
      { policyId: 'ladder-b', target: 'diagnosis', breachAt: clock.now() },
    );
    const rows = (await t.http('GET', `/deliveries?caseId=${opened.caseId}`, { role: 'manager' })).body.items.filter(
      (d: { template: string }) => d.template === 'sla-warning',
    );
    expect(rows.map((d: { recipient: string }) => d.recipient).sort()).toEqual(['E-7', 'zhao.min@example.com']);
    expect(rows[0].subject).toContain('NORTH-2026-000777'); // the case number from the projection
    const inbox = await t.http('GET', '/inbox', { token: await tokenFor('engineer', { sub: 'E-7' }) });
    expect(inbox.body.items.map((i: { template: string }) => i.template)).toContain('sla-warning');
  });

  it('refuses malformed addresses naming the field, and stores nothing', async () => {
    const bad = await t.http('PUT', '/people/bad.one', {
      role: 'admin',
      body: { name: 'Bad', region: 'north', roles: ['manager1'], email: 'not-an-email', phone: '138 0000 0001' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'phone']);
    expect(bad.body.errors.find((e: { field: string }) => e.field === 'phone').reason).toContain('E.164');
    expect((await t.http('GET', '/people/bad.one', { role: 'admin' })).status).toBe(404);

    const deputy = await t.http('PUT', '/people/lonely', {
      role: 'admin',
      body: { name: 'L', region: 'north', roles: [], deputyId: 'nobody' },
    });
    expect(deputy.status).toBe(422);
    expect(deputy.body.errors).toEqual([{ field: 'deputyId', reason: 'no person nobody in the directory' }]);

    for (const [channel, address, reason] of [
      ['email', 'wang@', 'e-mail'],
      ['sms', '13800000001', 'E.164'],
    ] as const) {
      const r = await t.http('PUT', '/role-recipients', { role: 'admin', body: { region: 'north', role: 'manager1', channel, address } });
      expect(r.status).toBe(400);
      expect(r.body.errors).toEqual([{ field: 'address', reason: expect.stringContaining(reason) }]);
    }
    expect((await t.http('GET', '/role-recipients?region=north', { role: 'admin' })).body.items).toEqual([]);

    const shifts = await t.http('PUT', '/rotations/north/manager1', {
      role: 'admin',
      body: { timeZone: 'Mars/Olympus', shifts: [{ personId: 'ghost', day: 1, start: '9:00', end: '18:00' }] },
    });
    expect(shifts.status).toBe(422);
    expect(shifts.body.errors.map((e: { field: string }) => e.field)).toEqual(['timeZone', 'shifts[0].start', 'shifts[0].personId']);
    const day = await t.http('PUT', '/rotations/north/manager1', {
      role: 'admin',
      body: { shifts: [{ personId: 'E-7', day: 8, start: '09:00', end: '18:00' }] },
    });
    expect(day.status).toBe(400);
    expect(day.body.errors[0].field).toBe('shifts.0.day');
    expect((await t.http('GET', '/rotations/north/manager1', { role: 'admin' })).status).toBe(404);
    expect((await t.http('PUT', '/people/x', { role: 'manager', body: { name: 'x', region: 'north', roles: [] } })).status).toBe(403);
  });
});
