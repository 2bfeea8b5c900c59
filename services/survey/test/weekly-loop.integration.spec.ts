import { CaseStatus, EventEnvelope } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import {
  eventOf,
  recordTopic,
  receiveRequest,
  startTestService,
  TestService,
  tokenFor,
  waitFor,
  waitForHandled,
} from '@aftersales/testing';
// the closed loop spans three services: this test composes them on one bus, as all-in-one does
// eslint-disable-next-line @nx/enforce-module-boundaries
import { caseService } from '@aftersales/service-case';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { escalationService } from '@aftersales/service-escalation';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { DeadlineWorker } from '../../escalation/src/deadlines';
import { SurveyBatch } from '../src/surveys/survey-batch';
import { surveyService } from '../src/survey.service-definition';

const HOUR = 3_600_000;
const WEEK = '2027-W02'; // Monday 11 to Sunday 17 January 2027, Asia/Shanghai
const SURVEY_ENV = {
  SURVEY_BATCH_CHECK_MS: '0',
  SURVEY_WEEKLY_DAY: 'monday',
  SURVEY_WEEKLY_TIME: '09:00',
  SURVEY_TIME_ZONE: 'Asia/Shanghai',
  SURVEY_LINK_BASE_URL: 'https://survey.example.com/answer/',
  SURVEY_CALLBACK_DEADLINE_HOURS: '48',
};

type Case = { id: string; caseNumber: string; customerId: string };

/**
 * Domain §8 end to end, over one in-process bus with the real case and escalation services:
 * seven cases closed in a week, one of them LSP → six surveys → an answer with one item at 2 →
 * a callback for the north region's service delivery manager → overdue after its deadline
 * (escalation's deadline worker) → the week's report shows it all → a complaint case from the
 * callback → signed off and archived, after which every change is refused.
 */
describe('weekly survey, closed loop (survey + case + escalation, real PostgreSQL)', () => {
  const clock = new ManualClock('2027-01-11T02:00:00Z'); // Monday 10:00 in Shanghai
  let bus: InProcessBus;
  let cases: TestService;
  let escalation: TestService;
  let survey: TestService;
  let replica: TestService;
  let surveyEvents: EventEnvelope[];
  let escalationEvents: EventEnvelope[];
  let admin: string;
  let manager: string;
  let southManager: string;

  beforeAll(async () => {
    bus = new InProcessBus({ retryBackoffMs: [10, 50] });
    surveyEvents = await recordTopic(bus, 'aftersales.survey.events.v1');
    escalationEvents = await recordTopic(bus, 'aftersales.escalation.events.v1');
    cases = await startTestService(caseService, { bus, clock, env: { CASE_ASSIGN_RETRY_MS: '0' } });
    escalation = await startTestService(escalationService, { bus, clock, env: { ESCALATION_DEADLINE_SWEEP_MS: '0' } });
    survey = await startTestService(surveyService, { bus, clock, env: SURVEY_ENV });
    // a second survey replica on the same schema (its own bus: a consumer group is unique per bus)
    replica = await startTestService(surveyService, { bus: new InProcessBus(), clock, env: SURVEY_ENV, schema: survey.schema });
    admin = await tokenFor('admin');
    manager = await tokenFor('manager', { sub: 'sdm-north' });
    southManager = await tokenFor('manager', { region: 'south' });
    for (const e of [
      { id: 'boss', name: 'Regional Manager Qian', tier: 'L3', grade: 'technical-expert', region: 'north' },
      {
        id: 'liu',
        name: 'Hotline Liu',
        tier: 'L1',
        grade: 'maintenance-engineer',
        region: 'north',
        superiorId: 'boss',
        skills: ['storage'],
      },
      { id: 'ma', name: 'Senior Ma', tier: 'L2', grade: 'senior-engineer', senior: true, region: 'north', superiorId: 'boss' },
    ]) {
      expect((await cases.http('POST', '/engineers', { token: admin, body: e })).status).toBe(201);
    }
  });
  afterAll(async () => {
    for (const t of [replica, survey, escalation, cases]) await t?.stop();
  });

  const move = async (c: Case, to: CaseStatus, reason?: string) => {
    const r = await cases.http('POST', `/cases/${c.id}/transitions`, { token: admin, body: { to, ...(reason ? { reason } : {}) } });
    expect({ to, status: r.status, body: r.status === 200 ? undefined : r.body }).toEqual({ to, status: 200, body: undefined });
  };

  async function openCase(customerId: string): Promise<Case> {
    const request = await receiveRequest(bus, {
      severity: 'P3',
      productLine: 'storage',
      customerId,
      receivedAt: clock.now().toISOString(),
    });
    const [c] = (await cases.http('GET', `/cases?requestId=${request.requestId}`, { token: admin })).body.items;
    expect(c).toMatchObject({ status: 'assigned', assigneeId: 'liu' });
    await waitForHandled(survey, eventOf('case.opened.v1', { caseId: c.id }));
    return c;
  }

  async function close(c: Case, escalateTo?: string) {
    await move(c, 'in-progress');
    if (escalateTo) {
      await move(c, 'escalated', 'needs the storage expert');
      const r = await cases.http('POST', `/cases/${c.id}/assignment`, {
        token: admin,
        body: { engineerId: escalateTo, reason: 'second line' },
      });
      expect(r.status).toBe(200);
    }
    await move(c, 'resolved');
    await move(c, 'closed', 'customer confirmed on the phone');
    await waitForHandled(survey, eventOf('case.status.changed.v1', { caseId: c.id, to: 'closed' }));
  }

  const invitations = () => surveyEvents.filter((e) => e.type === 'survey.invitation.requested.v1');
  const tokenOf = (e: EventEnvelope) => (e.data as { link: string }).link.split('/').pop()!;
  const outboxCount = async (type: string): Promise<number> =>
    (
      await survey.service.runtime.dataSource.query(`SELECT count(*)::int AS n FROM "${survey.schema}".outbox WHERE event_type = $1`, [
        type,
      ])
    )[0].n;

  const closed: Case[] = [];
  let lsp: Case;
  let escalated: Case;
  let callbackId: string;

  it('runs the week’s batch once over two replicas: six surveys for seven closed cases, the LSP one left out by rule', async () => {
    const rule = await survey.http('POST', '/exclusion-rules', {
      token: manager,
      body: { name: 'LSP cases are not surveyed', criteria: { tag: 'LSP' } },
    });
    expect(rule.status).toBe(201);
    expect(rule.body).toMatchObject({ region: 'north', criteria: { tag: 'LSP' } });

    for (let i = 0; i < 7; i++) closed.push(await openCase(`C-${200 + i}`));
    const [first, second] = closed;
    if (!first || !second) throw new Error('seven cases were opened, two are not there');
    [lsp, escalated] = [first, second];
    const tagged = await survey.http('PUT', `/cases/${lsp.id}/tags`, { token: manager, body: { tags: ['LSP'] } });
    expect(tagged.body.tags).toEqual(['LSP']);

    clock.set('2027-01-13T03:00:00Z'); // Wednesday: the week's work
    for (const c of closed) await close(c, c === escalated ? 'ma' : undefined);
    // a case still open at the batch is not surveyed
    const open = await openCase('C-299');

    clock.set('2027-01-18T00:59:00Z'); // Monday 08:59 in Shanghai: not yet
    expect(await survey.service.app.get(SurveyBatch).runDue()).toEqual([]);
    clock.set('2027-01-18T01:00:00Z'); // Monday 09:00
    const runs = (await Promise.all([survey, replica, survey].map((t) => t.service.app.get(SurveyBatch).runDue()))).flat();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      region: 'north',
      week: WEEK,
      surveys: 6,
      excluded: [{ caseId: lsp.id, ruleName: 'LSP cases are not surveyed' }],
    });
    expect(await replica.service.app.get(SurveyBatch).runDue()).toEqual([]);
    expect(await outboxCount('survey.invitation.requested.v1')).toBe(6);

    await waitFor('six invitations on the bus', () => (invitations().length >= 6 ? true : undefined));
    expect(invitations()).toHaveLength(6);
    const surveyed = new Set(invitations().map((e) => e.subject));
    expect(surveyed).toEqual(new Set(closed.slice(1).map((c) => c.id)));
    expect(surveyed.has(open.id)).toBe(false);
    for (const e of invitations()) {
      expect(e.data).toMatchObject({
        region: 'north',
        contact: { email: 'li.wei@example.com' },
        expiresAt: new Date(clock.now().getTime() + 14 * 24 * HOUR).toISOString(),
      });
      expect((e.data as { link: string }).link).toMatch(/^https:\/\/survey\.example\.com\/answer\/[A-Za-z0-9_-]{43}$/);
    }
    expect(new Set(invitations().map(tokenOf)).size).toBe(6);

    const batches = await survey.http('GET', '/batches', { token: manager });
    expect(batches.body.items).toEqual([
      expect.objectContaining({ week: WEEK, surveys: 6, excluded: [expect.objectContaining({ caseNumber: lsp.caseNumber })] }),
    ]);
  });

  it('takes an answer through the one-time link: partial, then final with attitude at 2, then refuses a second one', async () => {
    const invitation = invitations().find((e) => e.subject === escalated.id)!;
    const token = tokenOf(invitation);
    const form = await fetch(`${survey.service.url}/answer/${token}`); // no bearer token: the link is the key
    expect(form.status).toBe(200);
    const body = (await form.json()) as { items: Array<{ item: string }> };
    expect(body).toMatchObject({
      caseNumber: escalated.caseNumber,
      status: 'sent',
      scale: { '5': { 'zh-CN': '很满意' }, '1': { 'zh-CN': '很不满意' } },
    });
    expect(body.items.map((i: { item: string }) => i.item)).toEqual(['responseTime', 'technicalSkill', 'attitude', 'outcome']);

    const partial = await survey.http('PATCH', `/answer/${token}`, {
      token: 'none',
      body: { scores: { responseTime: 4 }, comment: 'slow to call back' },
    });
    expect(partial.status).toBe(200);
    expect(partial.body).toMatchObject({ status: 'partial', scores: { responseTime: 4 } });
    expect(partial.body).not.toHaveProperty('ownerName');

    clock.advance(10 * 60_000);
    const final = await survey.http('POST', `/answer/${token}`, {
      token: 'none',
      body: { scores: { technicalSkill: 4, attitude: 2, outcome: 4 }, smooth: true },
    });
    expect(final.status).toBe(200);
    expect(final.body).toMatchObject({
      status: 'answered',
      via: 'link',
      scores: { responseTime: 4, technicalSkill: 4, attitude: 2, outcome: 4 },
      smooth: true,
      comment: 'slow to call back',
    });
    const again = await survey.http('POST', `/answer/${token}`, {
      token: 'none',
      body: { scores: { responseTime: 5, technicalSkill: 5, attitude: 5, outcome: 5 } },
    });
    expect(again.status).toBe(409);
    expect(await outboxCount('survey.answered.v1')).toBe(1);
  });

  it('opens a callback for the north region’s service delivery manager, with its deadline held by escalation', async () => {
    const requested = await waitFor('the callback request', () => surveyEvents.find((e) => e.type === 'survey.callback.requested.v1'));
    const answeredAt = clock.now().getTime();
    expect(requested.subject).toBe(escalated.id);
    expect(requested.data).toMatchObject({
      caseId: escalated.id,
      caseNumber: escalated.caseNumber,
      region: 'north',
      lowItems: ['attitude'],
      dueAt: new Date(answeredAt + 48 * HOUR).toISOString(),
    });
    callbackId = (requested.data as { callbackId: string }).callbackId;
    const list = await survey.http('GET', '/callbacks?status=open', { token: manager });
    expect(list.body).toMatchObject({
      total: 1,
      items: [{ id: callbackId, assigneeRole: 'service-delivery-manager', region: 'north', overdueAt: null }],
    });
    // another region's manager does not see it
    expect((await survey.http('GET', '/callbacks', { token: southManager })).body.total).toBe(0);
    expect((await survey.http('GET', `/callbacks/${callbackId}`, { token: southManager })).status).toBe(404);

    await waitForHandled(escalation, eventOf('survey.callback.requested.v1', { callbackId }));
    const worker = escalation.service.app.get(DeadlineWorker);
    clock.advance(48 * HOUR - 60_000);
    expect(await worker.sweep()).toBe(0);
    clock.advance(60_000);
    expect(await worker.sweep()).toBe(1);
    expect(await worker.sweep()).toBe(0);
    const overdue = await waitFor('the overdue event', () => escalationEvents.find((e) => e.type === 'escalation.deadline.overdue.v1'));
    expect(overdue.data).toMatchObject({ kind: 'survey-callback', subjectId: callbackId, caseId: escalated.id, region: 'north' });
    await waitForHandled(survey, overdue.id);
    const cb = await survey.http('GET', `/callbacks/${callbackId}`, { token: manager });
    expect(cb.body).toMatchObject({ status: 'open', overdueAt: clock.now().toISOString() });
  });

  it('shows the week in the reports: per case with owners and scores, per item, per engineer, the trend, and as CSV', async () => {
    const week = await survey.http('GET', `/reports/weeks/${WEEK}`, { token: manager });
    expect(week.status).toBe(200);
    expect(week.body).toMatchObject({
      region: 'north',
      week: WEEK,
      period: { state: 'open' },
      sent: 6,
      answered: 1,
      responseRate: 0.1667,
      lowScore: 1,
      items: {
        attitude: { answered: 1, average: 2, distribution: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 0 } },
        responseTime: { average: 4 },
      },
      callbacks: { requested: 1, open: 1, overdue: 1, openOverdue: 1 },
    });

    const perCase = await survey.http('GET', `/reports/weeks/${WEEK}/cases`, { token: manager });
    expect(perCase.body.total).toBe(6);
    expect(perCase.body.items.map((r: { caseNumber: string }) => r.caseNumber)).not.toContain(lsp.caseNumber);
    const row = perCase.body.items.find((r: { caseNumber: string }) => r.caseNumber === escalated.caseNumber);
    expect(row).toMatchObject({
      customerId: escalated.customerId,
      caseOwner: 'Hotline Liu',
      escalationOwner: 'Senior Ma',
      responseTime: 4,
      technicalSkill: 4,
      attitude: 2,
      outcome: 4,
      smooth: true,
      callback: { status: 'open', lowItems: ['attitude'] },
    });
    expect(row.callback.overdueAt).not.toBeNull();

    const csv = await survey.http('GET', `/reports/weeks/${WEEK}/cases?format=csv`, { token: manager });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (csv.body as string).trim().split('\r\n');
    expect(lines[0]).toBe(
      'case number,customer,case owner,escalation owner,status,responseTime,technicalSkill,attitude,outcome,smooth,comment,via,callback,callback outcome,callback overdue',
    );
    expect(lines).toHaveLength(7);
    expect(lines).toContain(
      `${escalated.caseNumber},${escalated.customerId},Hotline Liu,Senior Ma,answered,4,4,2,4,true,slow to call back,link,open,,true`,
    );

    const engineers = await survey.http('GET', `/reports/engineers?to=${WEEK}`, { token: manager });
    expect(engineers.body.engineers).toEqual([
      expect.objectContaining({ engineerId: 'liu', engineerName: 'Hotline Liu', sent: 6, answered: 1 }),
    ]);
    const trend = await survey.http('GET', `/reports/weeks?from=2027-W01&to=${WEEK}`, { token: manager });
    expect(trend.body.weeks.map((w: { week: string; summary: { sent: number } }) => [w.week, w.summary.sent])).toEqual([
      ['2027-W01', 0],
      [WEEK, 6],
    ]);
    const regions = await survey.http('GET', `/reports/regions?to=${WEEK}`, { token: admin });
    expect(regions.body.regions).toEqual([expect.objectContaining({ region: 'north', sent: 6, answered: 1 })]);

    const metricsOf = async (t: TestService) => (await fetch(`${t.service.url}/metrics`)).text();
    const metrics = await metricsOf(survey);
    // either replica may have won the batch's claim: the surveys it sent count there
    const sentBy = (text: string) => Number(/aftersales_surveys_sent_total\{region="north"[^}]*\} (\d+)/.exec(text)?.[1]);
    expect(sentBy(metrics) + sentBy(await metricsOf(replica))).toBe(6);
    expect(metrics).toMatch(/aftersales_survey_score_bucket\{le="2",[^}]*item="attitude",region="north"\} 1/);
    expect(metrics).toMatch(/aftersales_survey_score_bucket\{le="3",[^}]*item="outcome",region="north"\} 0/);
    expect(metrics).toMatch(/aftersales_survey_callbacks_total\{region="north",event="requested"[^}]*\} 1/);
    expect(metrics).toMatch(/aftersales_survey_callbacks_total\{region="north",event="overdue"[^}]*\} 1/);
    expect(metrics).toMatch(/aftersales_survey_callbacks_overdue\{region="north"[^}]*\} 1/);
  });

  it('opens a complaint case from the callback in the case service, and links it back', async () => {
    const r = await survey.http('POST', `/callbacks/${callbackId}/outcome`, {
      token: manager,
      body: {
        outcome: 'complaint-opened',
        note: 'customer unhappy with the engineer’s attitude',
        complaint: { symptom: 'engineer was rude on the phone' },
      },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'closed', outcome: 'complaint-opened', closedBy: 'sdm-north' });

    await waitForHandled(cases, eventOf('survey.complaint.requested.v1', { callbackId }));
    const complaints = (await cases.http('GET', '/cases?caseType=complaint', { token: admin })).body.items;
    expect(complaints).toEqual([
      expect.objectContaining({ relatedCaseId: escalated.id, customerId: escalated.customerId, requestId: callbackId, assigneeId: 'boss' }),
    ]);
    const linked = await waitFor('the complaint linked to the callback', async () => {
      const cb = (await survey.http('GET', `/callbacks/${callbackId}`, { token: manager })).body;
      return cb.complaintCaseNumber ? cb : undefined;
    });
    expect(linked).toMatchObject({ complaintCaseId: complaints[0].id, complaintCaseNumber: complaints[0].caseNumber });
    // escalation stops the deadline
    await waitForHandled(escalation, eventOf('survey.callback.closed.v1', { callbackId }));
    const [deadline] = await escalation.service.runtime.dataSource.query(
      `SELECT state FROM "${escalation.schema}".deadlines WHERE subject_id = $1`,
      [callbackId],
    );
    expect(deadline.state).toBe('met');
  });

  it('is reviewed, signed off and archived by the engineering manager; then nothing in the week changes', async () => {
    const agent = await tokenFor('agent');
    expect((await survey.http('POST', `/periods/${WEEK}/archive`, { token: agent })).status).toBe(409);
    expect((await survey.http('POST', `/periods/${WEEK}/sign-off`, { token: manager })).status).toBe(409);
    expect((await survey.http('POST', `/periods/${WEEK}/review`, { token: agent, body: {} })).status).toBe(403);
    const reviewed = await survey.http('POST', `/periods/${WEEK}/review`, {
      token: manager,
      body: { note: 'attitude complaint on Senior Ma’s case' },
    });
    expect(reviewed.body).toMatchObject({ state: 'reviewed', reviewedBy: 'sdm-north' });
    expect((await survey.http('POST', `/periods/${WEEK}/sign-off`, { token: manager })).body.state).toBe('signed-off');
    const archived = await survey.http('POST', `/periods/${WEEK}/archive`, { token: agent });
    expect(archived.body).toMatchObject({ state: 'archived', archivedBy: 'test-agent' });
    const before = (await survey.http('GET', `/reports/weeks/${WEEK}/cases?format=csv`, { token: manager })).body;

    const other = invitations().find((e) => e.subject === closed[2]?.id)!;
    const viaLink = await survey.http('POST', `/answer/${tokenOf(other)}`, {
      token: 'none',
      body: { scores: { responseTime: 5, technicalSkill: 5, attitude: 5, outcome: 5 } },
    });
    expect(viaLink.status).toBe(409);
    expect(viaLink.body.message).toMatch(/archived/);
    expect((await survey.http('PATCH', `/answer/${tokenOf(other)}`, { token: 'none', body: { comment: 'late' } })).status).toBe(409);
    const surveyId = (other.data as { surveyId: string }).surveyId;
    const byPhone = await survey.http('POST', `/surveys/${surveyId}/answer`, {
      token: agent,
      body: { scores: { responseTime: 1, technicalSkill: 1, attitude: 1, outcome: 1 } },
    });
    expect(byPhone.status).toBe(409);
    expect((await survey.http('POST', `/callbacks/${callbackId}/outcome`, { token: manager, body: { outcome: 'reached' } })).status).toBe(
      409,
    );
    expect((await survey.http('POST', `/periods/${WEEK}/review`, { token: manager, body: {} })).status).toBe(409);

    expect((await survey.http('GET', `/reports/weeks/${WEEK}/cases?format=csv`, { token: manager })).body).toBe(before);
    expect((await survey.http('GET', `/reports/weeks/${WEEK}`, { token: manager })).body).toMatchObject({
      period: { state: 'archived' },
      answered: 1,
    });
    expect(await outboxCount('survey.answered.v1')).toBe(1);
  });
});
