import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import { recordTopic, startTestService, TestService, tokenFor, waitFor } from '@aftersales/testing';
import { intakeService } from '../src/intake.service-definition';
import { CalendarRecord } from '../src/registry';
import { seedRegistry } from './requests.seed';

const weekdays = Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ start: '09:00', end: '18:00' }]]));

describe('intake channels: after-hours voicemail (ManualClock, real PostgreSQL, in-process bus)', () => {
  // Friday 2026-11-20, 20:00 in Shanghai: the business-hours desk is closed
  const clock = new ManualClock('2026-11-20T20:00:00+08:00');
  let t: TestService;
  let published: Awaited<ReturnType<typeof recordTopic>>;

  beforeAll(async () => {
    const bus = new InProcessBus();
    published = await recordTopic(bus, 'aftersales.intake.requests.v1');
    t = await startTestService(intakeService, { bus, clock });
    const ds = t.service.runtime.dataSource;
    await ds.getRepository(CalendarRecord).save([
      { id: 'CAL-BH', definition: { id: 'CAL-BH', timeZone: 'Asia/Shanghai', kind: 'business-hours', weekly: weekdays } },
      {
        id: 'CAL-HOL',
        definition: {
          id: 'CAL-HOL',
          timeZone: 'Asia/Shanghai',
          kind: 'business-hours',
          weekly: weekdays,
          holidays: [{ date: '2026-11-23', name: 'site shutdown' }],
        },
      },
    ]);
    await seedRegistry(ds, {
      customers: [{ id: 'C-BH' }, { id: 'C-HOL' }, { id: 'C-724' }],
      contacts: [
        { id: 'CT-BH', customerId: 'C-BH', name: 'Li Wei', phone: '+86 10 5555 0200' },
        { id: 'CT-HOL', customerId: 'C-HOL', name: 'Chen Jie', phone: '+86 21 6666 0300' },
        { id: 'CT-724', customerId: 'C-724', name: 'Zhao Min', phone: '+86 755 7777 0400' },
      ],
      contracts: [
        { id: 'K-BH', customerId: 'C-BH', coverage: 'business-hours', calendarId: 'CAL-BH', startsOn: '2026-01-01', endsOn: '2027-12-31' },
        {
          id: 'K-HOL',
          customerId: 'C-HOL',
          coverage: 'business-hours',
          calendarId: 'CAL-HOL',
          startsOn: '2026-01-01',
          endsOn: '2027-12-31',
        },
        { id: 'K-724', customerId: 'C-724', coverage: '7x24', startsOn: '2026-01-01', endsOn: '2027-12-31' },
      ],
    });
  });
  afterAll(() => t?.stop());

  const count = async (table: string) => {
    const [{ n }] = await t.service.runtime.dataSource.query(`SELECT count(*)::int AS n FROM "${t.schema}".${table}`);
    return n as number;
  };
  const writes = async () => ({
    voicemails: await count('voicemails'),
    requests: await count('service_requests'),
    outbox: await count('outbox'),
  });
  const dueIds = async () => (await t.http('GET', '/voicemails?due=true')).body.items.map((v: { id: string }) => v.id);

  let fridayTask: string;
  let holidayTask: string;

  it('parks a Friday-evening message as a task due Monday 09:00 local, not a live request', async () => {
    const before = await writes();
    const res = await t.http('POST', '/voicemails', {
      body: { callerNumber: '+86 10 5555 0200', callerName: 'Li Wei', message: 'Array offline since 19:30, error E42' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'queued',
      customerId: 'C-BH',
      contactId: 'CT-BH',
      calendarId: 'CAL-BH',
      recordedAt: '2026-11-20T12:00:00.000Z',
      dueAt: '2026-11-23T01:00:00.000Z', // Monday 09:00 in Shanghai
      requestId: null,
    });
    fridayTask = res.body.id;
    expect(await writes()).toEqual({ voicemails: before.voicemails + 1, requests: before.requests, outbox: before.outbox + 1 });
    const event = await waitFor('the voicemail event', () => published.find((e) => e.subject === fridayTask));
    expect(event.type).toBe('intake.voicemail.recorded.v1');
    expect(event.data).toMatchObject({ voicemailId: fridayTask, customerId: 'C-BH', dueAt: '2026-11-23T01:00:00.000Z', region: 'north' });
    expect((await t.http('GET', `/voicemails/${fridayTask}`)).body).toMatchObject({ id: fridayTask, status: 'queued' });
  });

  it('moves the task past a holiday on Monday to Tuesday 09:00', async () => {
    const res = await t.http('POST', '/voicemails', {
      body: { callerNumber: '+86-21-6666-0300', message: 'UPS alarm in room 2', recordedAt: '2026-11-20T19:30:00+08:00' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'queued', customerId: 'C-HOL', dueAt: '2026-11-24T01:00:00.000Z' });
    holidayTask = res.body.id;
  });

  it('keeps the work list empty over the weekend and shows the task on Monday morning', async () => {
    clock.set('2026-11-21T12:00:00+08:00'); // Saturday noon
    const saturday = await t.http('GET', '/voicemails?due=true');
    expect(saturday.status).toBe(200);
    expect(saturday.body).toMatchObject({ items: [], total: 0 });
    // the queue as a whole still holds both
    expect((await t.http('GET', '/voicemails?status=queued')).body.total).toBe(2);

    clock.set('2026-11-23T09:05:00+08:00'); // Monday 09:05
    expect(await dueIds()).toEqual([fridayTask]); // the holiday customer's is due tomorrow
  });

  it('records the task as a request (channel voicemail) for the caller, once', async () => {
    const res = await t.http('POST', `/voicemails/${fridayTask}/record`, {
      body: { symptom: 'storage array offline, error E42', impact: 'system-down', serialNumber: 'SN-BH-1', errorCodes: ['E42'] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'filed', customerId: 'C-BH', handledBy: 'test-agent', handledEarly: false });
    expect(res.body.request).toMatchObject({ channel: 'voicemail', customerId: 'C-BH', contactId: 'CT-BH', severity: 'P1' });
    const event = await waitFor('the request event', () => published.find((e) => e.subject === res.body.requestId));
    expect(event.type).toBe('intake.request.received.v1');
    expect(event.data).toMatchObject({
      channel: 'voicemail',
      customerId: 'C-BH',
      contactId: 'CT-BH',
      contact: { name: 'Li Wei', phone: '+86 10 5555 0200' },
      severity: 'P1',
      symptom: 'storage array offline, error E42',
    });
    expect(await dueIds()).toEqual([]);

    const before = await writes();
    const twice = await t.http('POST', `/voicemails/${fridayTask}/record`, { body: { symptom: 'again' } });
    expect(twice.status).toBe(409);
    expect(twice.body.errors).toEqual([expect.objectContaining({ field: 'status' })]);
    expect(await writes()).toEqual(before);
  });

  it('allows recording before the task is due, flagged as early', async () => {
    const res = await t.http('POST', `/voicemails/${holidayTask}/record`, { body: { symptom: 'UPS alarm in room 2', severity: 'P3' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'filed', customerId: 'C-HOL', handledEarly: true });
    expect(res.body.request).toMatchObject({ channel: 'voicemail', customerId: 'C-HOL' });
  });

  it('files at once when the desk is open or the contract is 7x24', async () => {
    for (const [callerNumber, customerId] of [
      ['+86 10 5555 0200', 'C-BH'], // Monday 09:05: open
      ['+86 755 7777 0400', 'C-724'],
    ]) {
      const res = await t.http('POST', '/voicemails', { body: { callerNumber, message: 'please call back about the backup job' } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'filed', customerId, dueAt: res.body.recordedAt });
      expect(res.body.request).toMatchObject({ channel: 'voicemail', customerId, symptom: 'please call back about the backup job' });
    }
    clock.set('2026-11-21T03:00:00+08:00'); // Saturday night: still live for the 7x24 customer
    const night = await t.http('POST', '/voicemails', { body: { callerNumber: '+86 755 7777 0400', message: 'disk alarm' } });
    expect(night.body).toMatchObject({ status: 'filed', customerId: 'C-724' });
    clock.set('2026-11-23T09:05:00+08:00');
  });

  it('queues an unknown caller at once; the agent names the customer when recording', async () => {
    const res = await t.http('POST', '/voicemails', {
      body: { callerNumber: '+1 555 0100', callerName: 'Night Guard', message: 'server room too hot' },
    });
    expect(res.body).toMatchObject({ status: 'queued', customerId: null, dueAt: res.body.recordedAt });
    expect(await dueIds()).toContain(res.body.id);
    const before = await writes();
    const anonymous = await t.http('POST', `/voicemails/${res.body.id}/record`, { body: { symptom: 'server room too hot' } });
    expect(anonymous.status).toBe(422);
    expect(anonymous.body.errors).toEqual([expect.objectContaining({ field: 'customerId' })]);
    const unknown = await t.http('POST', `/voicemails/${res.body.id}/record`, { body: { symptom: 'hot', customerId: 'C-NOBODY' } });
    expect(unknown.status).toBe(422);
    expect(await writes()).toEqual(before);
    const filed = await t.http('POST', `/voicemails/${res.body.id}/record`, {
      body: { symptom: 'server room too hot', customerId: 'C-BH' },
    });
    expect(filed.status).toBe(201);
    expect(filed.body.request).toMatchObject({
      channel: 'voicemail',
      customerId: 'C-BH',
      contact: { name: 'Night Guard', phone: '+1 555 0100' },
    });
  });

  it('lets only one of two agents recording the same task at once file it', async () => {
    clock.set('2026-11-20T21:00:00+08:00');
    const task = (await t.http('POST', '/voicemails', { body: { callerNumber: '+86 10 5555 0200', message: 'tape library stuck' } })).body;
    expect(task.status).toBe('queued');
    const before = await writes();
    const record = async (sub: string) =>
      t.http('POST', `/voicemails/${task.id}/record`, {
        token: await tokenFor('agent', { sub }),
        body: { symptom: `tape library stuck (${sub})` },
      });
    const [a, b] = await Promise.all([record('agent-a'), record('agent-b')]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect(await writes()).toEqual({ ...before, requests: before.requests + 1, outbox: before.outbox + 1 });
  });

  describe('bad input is a 4xx naming the field, and writes nothing', () => {
    const cases: Array<[string, string, unknown, number, string[]]> = [
      ['missing fields', '/voicemails', {}, 400, ['callerNumber', 'message']],
      ['wrong types', '/voicemails', { callerNumber: 42, message: ['x'], callerName: '' }, 400, ['callerNumber', 'message', 'callerName']],
      [
        'a bad number and time',
        '/voicemails',
        { callerNumber: 'call me', message: 'x', recordedAt: 'Friday night' },
        400,
        ['callerNumber', 'recordedAt'],
      ],
      [
        'a time without offset',
        '/voicemails',
        { callerNumber: '+86 10 1', message: 'x', recordedAt: '2026-11-20T20:00:00' },
        400,
        ['recordedAt'],
      ],
      [
        'a recording from the future',
        '/voicemails',
        { callerNumber: '+86 10 1', message: 'x', recordedAt: '2027-01-01T00:00:00Z' },
        422,
        ['recordedAt'],
      ],
      ['unknown fields', '/voicemails', { callerNumber: '+86 10 1', message: 'x', urgent: true }, 400, ['urgent']],
      ['a record without symptom', 'RECORD', { severity: 'P7' }, 400, ['symptom', 'severity']],
      ['a record with a channel', 'RECORD', { symptom: 'x', channel: 'phone' }, 400, ['channel']],
      ['a bad list query', '/voicemails?due=soon', undefined, 400, ['due']],
    ];
    let open: string;
    beforeAll(async () => {
      clock.set('2026-11-20T22:00:00+08:00');
      open = (await t.http('POST', '/voicemails', { body: { callerNumber: '+86 10 5555 0200', message: 'queued for the record checks' } }))
        .body.id;
    });
    it.each(cases)('%s', async (_, path, body, status, fields) => {
      const before = await writes();
      const res = await t.http(body === undefined ? 'GET' : 'POST', path === 'RECORD' ? `/voicemails/${open}/record` : path, { body });
      expect(res.status).toBe(status);
      const named = (res.body.errors as Array<{ field: string }>).map((e) => e.field);
      for (const f of fields) expect(named).toContain(f);
      expect(await writes()).toEqual(before);
    });
  });

  it('is for the desk only: customers and engineers cannot post or list, and another region sees nothing', async () => {
    const customer = await tokenFor('customer', { customerId: 'C-BH' });
    expect((await t.http('POST', '/voicemails', { token: customer, body: { callerNumber: '+86 10 1', message: 'x' } })).status).toBe(403);
    expect((await t.http('GET', '/voicemails', { token: customer })).status).toBe(403);
    expect((await t.http('POST', '/voicemails', { role: 'engineer', body: { callerNumber: '+86 10 1', message: 'x' } })).status).toBe(403);
    expect((await t.http('GET', `/voicemails/${fridayTask}`, { token: await tokenFor('agent', { region: 'south' }) })).status).toBe(404);
    expect((await t.http('GET', '/voicemails/not-a-uuid')).status).toBe(400);
  });
});
