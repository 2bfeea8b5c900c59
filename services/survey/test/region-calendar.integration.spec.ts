import { EventEnvelope } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import { caseOpened, deliver, recordTopic, startTestService, TestService, upstreamEvent, waitFor } from '@aftersales/testing';
import { SurveyBatch } from '../src/surveys/survey-batch';
import { surveyService } from '../src/survey.service-definition';

const workdays = [{ start: '09:00', end: '18:00' }];
/** north's calendar in intake's registry: Mon-Fri 09:00-18:00 Shanghai, Monday 18 January 2027 a holiday */
const CN_NORTH = {
  timeZone: 'Asia/Shanghai',
  kind: 'business-hours',
  weekly: { 1: workdays, 2: workdays, 3: workdays, 4: workdays, 5: workdays },
  holidays: [{ date: '2027-01-18', name: 'regional holiday' }],
};

/**
 * Domain §8 on the region's calendar: the weekly batch of a region runs on its business days in
 * its zone (a holiday batch day moves to the next business day), and a callback's deadline counts
 * the region's business hours. South has no calendar and keeps the deployment's schedule.
 */
describe("survey batch and callback deadline on the region's calendar (real PostgreSQL, over the bus)", () => {
  const clock = new ManualClock('2027-01-13T03:00:00Z'); // Wednesday 11:00 in Shanghai
  let t: TestService;
  let events: EventEnvelope[];

  beforeAll(async () => {
    const bus = new InProcessBus();
    events = await recordTopic(bus, 'aftersales.survey.events.v1');
    t = await startTestService(surveyService, {
      bus,
      clock,
      env: {
        SURVEY_BATCH_CHECK_MS: '0',
        SURVEY_WEEKLY_DAY: 'monday',
        SURVEY_WEEKLY_TIME: '09:00',
        SURVEY_TIME_ZONE: 'Asia/Shanghai',
        SURVEY_REGION_CALENDARS: 'north=cn-north',
        SURVEY_CALLBACK_DEADLINE_HOURS: '8',
      },
    });
    await deliver(
      t.bus,
      upstreamEvent('intake.calendar.changed.v1', 'cn-north', {
        calendarId: 'cn-north',
        definition: CN_NORTH,
        changedAt: clock.now().toISOString(),
      }),
    );
  });
  afterAll(() => t?.stop());

  const closeCase = async (region: string, n: number) => {
    const opened = caseOpened({ region, caseNumber: `${region.toUpperCase()}-2027-00000${n}`, openedAt: clock.now().toISOString() });
    await deliver(t.bus, upstreamEvent('case.opened.v1', opened.caseId, opened));
    const actor = { subject: 'liu', role: 'engineer' as const };
    await deliver(
      t.bus,
      upstreamEvent('case.status.changed.v1', opened.caseId, {
        caseId: opened.caseId,
        caseNumber: opened.caseNumber,
        region,
        customerId: opened.customerId,
        severity: 'P3',
        from: 'resolved',
        to: 'closed',
        actor,
        at: clock.now().toISOString(),
      }),
    );
    return opened.caseId;
  };
  const runDue = () => t.service.app.get(SurveyBatch).runDue();

  it('moves north’s batch off its holiday Monday to Tuesday 09:00; south runs on Monday as configured', async () => {
    const north = await closeCase('north', 1);
    await closeCase('south', 2);

    clock.set('2027-01-18T01:00:00Z'); // Monday 09:00: a holiday in north only
    const monday = await runDue();
    expect(monday.map((r) => [r.region, r.week, r.surveys])).toEqual([['south', '2027-W02', 1]]);
    clock.set('2027-01-19T00:59:00Z'); // Tuesday 08:59
    expect(await runDue()).toEqual([]);
    clock.set('2027-01-19T01:00:00Z'); // Tuesday 09:00
    expect((await runDue()).map((r) => [r.region, r.week, r.surveys])).toEqual([['north', '2027-W02', 1]]);
    expect(await runDue()).toEqual([]);

    const batches = (await t.http('GET', '/batches', { role: 'manager' })).body.items;
    expect(batches.find((b: { week: string }) => b.week === '2027-W02')).toMatchObject({ dueAt: '2027-01-19T01:00:00.000Z' });
    const invitation = await waitFor('north’s invitation', () =>
      events.find((e) => e.type === 'survey.invitation.requested.v1' && e.subject === north),
    );
    expect(invitation.data).toMatchObject({ region: 'north' });
  });

  it('gives the callback of a low score 8 business hours: asked on Tuesday 17:00, due Wednesday 16:00', async () => {
    const invitation = events.find(
      (e) => e.type === 'survey.invitation.requested.v1' && (e.data as { region: string }).region === 'north',
    )!;
    const token = (invitation.data as { link: string }).link.split('/').pop()!;
    clock.set('2027-01-19T09:00:00Z'); // Tuesday 17:00 in Shanghai
    const answer = await t.http('POST', `/answer/${token}`, {
      token: 'none',
      body: { scores: { responseTime: 2, technicalSkill: 4, attitude: 4, outcome: 4 } },
    });
    expect(answer.status).toBe(200);
    const requested = await waitFor('the callback', () => events.find((e) => e.type === 'survey.callback.requested.v1'));
    // one business hour on Tuesday, seven on Wednesday from 09:00
    expect(requested.data).toMatchObject({ region: 'north', dueAt: '2027-01-20T08:00:00.000Z' });
  });
});
