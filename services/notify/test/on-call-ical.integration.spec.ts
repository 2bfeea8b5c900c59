import { ManualClock } from '@aftersales/platform';
import { deliver, tokenFor } from '@aftersales/testing';
import { randomUUID } from 'node:crypto';
import { OnCallFeeds } from '../src/directory/on-call-feeds';
import { HttpRecorder, startHttpRecorder } from './support/peers';
import { NotifyWithPeers, putPerson, recipientsOf, rungReached, startNotifyWithPeers } from './support/notify';

/** 03:00 on Monday 2 March 2026 in Shanghai */
const THREE_AM = '2026-03-02T03:00:00+08:00';

/** A daily on-call calendar as a scheduling tool publishes it: nights 18:00-09:00 and days 09:00-18:00. */
const feed = (night: string, day: string) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//aftersales//on-call test//EN',
    'BEGIN:VEVENT',
    'UID:nights@oncall.test',
    'DTSTAMP:20260301T000000Z',
    'DTSTART:20260228T100000Z',
    'DTEND:20260301T010000Z',
    'RRULE:FREQ=DAILY',
    `SUMMARY:On call (night)`,
    `ATTENDEE;CN=Night:mailto:${night}`,
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:days@oncall.test',
    'DTSTAMP:20260301T000000Z',
    'DTSTART;TZID=Asia/Shanghai:20260301T090000',
    'DTEND;TZID=Asia/Shanghai:20260301T180000',
    'RRULE:FREQ=DAILY',
    `SUMMARY:${day}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

describe('notify on-call from an iCalendar feed: whoever its VEVENT covers at the event time gets the rung (real PostgreSQL)', () => {
  const clock = new ManualClock(THREE_AM);
  let n: NotifyWithPeers;
  let calendar: HttpRecorder;
  let served = feed('night.owl@example.com', 'day.shift');

  beforeAll(async () => {
    n = await startNotifyWithPeers(clock, { NOTIFY_ICAL_REFRESH_MINUTES: '0' });
    calendar = await startHttpRecorder();
    calendar.answer = () => ({ status: 200, body: served });
    await putPerson(n.t, 'night.owl', { roles: ['senior-engineer'], email: 'night.owl@example.com', phone: '+8613800000011' });
    await putPerson(n.t, 'day.shift', { roles: ['senior-engineer'], email: 'day.shift@example.com', phone: '+8613800000012' });
  });
  afterAll(async () => {
    await n?.stop();
    await calendar?.close();
  });

  const putRotation = (body: Record<string, unknown>) =>
    n.t.http('PUT', '/rotations/north/senior-engineer', { role: 'admin', body: { timeZone: 'Asia/Shanghai', ...body } });
  const onCallAt = async (iso: string) =>
    (await n.t.http('GET', `/rotations/north/senior-engineer/on-call?at=${encodeURIComponent(iso)}`, { role: 'manager' })).body.onCall;
  const rungAt = async (iso: string) => {
    const caseId = randomUUID();
    await deliver(n.t.bus, rungReached(caseId, new Date(iso), { eventKey: 'rung:0', rungIndex: 0, notifyRoles: ['senior-engineer'] }));
    return caseId;
  };

  it('at 03:00 the on-call engineer of the URL feed gets the P1 rung on every channel; the off-duty one does not', async () => {
    const put = await putRotation({ icalUrl: `${calendar.url}/oncall.ics` });
    expect(put.status).toBe(200);
    expect(put.body.ical).toMatchObject({ url: `${calendar.url}/oncall.ics`, people: { 'mailto:night.owl@example.com': 'night.owl' } });
    expect(await onCallAt(THREE_AM)).toEqual(['night.owl']);
    expect(await onCallAt('2026-03-02T10:00:00+08:00')).toEqual(['day.shift']);

    const caseId = await rungAt(THREE_AM);
    await n.worker.tick();
    expect((await recipientsOf(n.t, caseId)).sort()).toEqual(['email:night.owl@example.com', 'in-app:night.owl', 'sms:+8613800000011']);
    expect(n.smtp.messages.filter((m) => m.headers.get('x-aftersales-case') === caseId).map((m) => m.to)).toEqual([
      'night.owl@example.com',
    ]);
    const dayInbox = await n.t.http('GET', '/inbox', { token: await tokenFor('engineer', { sub: 'day.shift' }) });
    expect(dayInbox.body.items).toEqual([]);
  });

  it('follows the feed when it changes at its URL (refresh), and an uploaded ICS works the same', async () => {
    served = feed('day.shift@example.com', 'day.shift'); // day.shift covers the nights this week
    expect(await n.t.service.app.get(OnCallFeeds).refreshAll()).toBe(1);
    expect(await onCallAt(THREE_AM)).toEqual(['day.shift']);

    // a feed that breaks keeps the last good copy: the rung still reaches someone
    served = 'this is not a calendar';
    expect(await n.t.service.app.get(OnCallFeeds).refreshAll()).toBe(0);
    expect(await onCallAt(THREE_AM)).toEqual(['day.shift']);

    const uploaded = await putRotation({ ical: feed('night.owl@example.com', 'day.shift') });
    expect(uploaded.status).toBe(200);
    expect(uploaded.body.ical.url).toBeNull();
    const caseId = await rungAt(THREE_AM);
    expect((await recipientsOf(n.t, caseId)).filter((r) => r.startsWith('in-app'))).toEqual(['in-app:night.owl']);
  });

  it('a weekly schedule and a feed together: both schedules put people on call', async () => {
    const put = await putRotation({
      shifts: [{ personId: 'day.shift', day: 1, start: '00:00', end: '06:00' }],
      ical: feed('night.owl@example.com', 'day.shift'),
    });
    expect(put.status).toBe(200);
    expect((await onCallAt(THREE_AM)).sort()).toEqual(['day.shift', 'night.owl']);
  });

  it('refuses a feed that is not iCalendar, names unknown people or cannot be fetched, naming the field; keeps the rotation', async () => {
    const before = (await n.t.http('GET', '/rotations/north/senior-engineer', { role: 'admin' })).body;
    const cases: Array<[Record<string, unknown>, number, string, string]> = [
      [{ ical: 'BEGIN:VCALENDAR\r\nnonsense' }, 422, 'ical', 'not a valid iCalendar'],
      [{ ical: feed('stranger@example.com', 'day.shift') }, 422, 'ical', 'stranger@example.com'],
      [{ icalUrl: 'http://127.0.0.1:1/oncall.ics' }, 422, 'icalUrl', 'could not be fetched'],
      [{ ical: feed('night.owl@example.com', 'day.shift'), icalUrl: `${calendar.url}/x.ics` }, 422, 'icalUrl', 'not both'],
      [{ icalUrl: 'ftp://calendar.example.com/oncall.ics' }, 400, 'icalUrl', ''],
      [{ ical: 42 }, 400, 'ical', ''],
    ];
    for (const [body, status, field, reason] of cases) {
      const r = await putRotation(body);
      expect({ body, status: r.status }).toEqual({ body, status });
      const err = r.body.errors.find((e: { field: string }) => e.field === field);
      expect(err).toBeDefined();
      expect(err.reason).toContain(reason);
    }
    expect((await n.t.http('GET', '/rotations/north/senior-engineer', { role: 'admin' })).body).toEqual(before);
  });
});
