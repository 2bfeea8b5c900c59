import { randomUUID } from 'node:crypto';
import { EventEnvelope } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
import { ManualClock } from '@aftersales/platform';
import { caseOpened, deliver, recordTopic, startTestService, TestService, tokenFor, upstreamEvent, waitFor } from '@aftersales/testing';
import { SurveyBatch } from '../src/surveys/survey-batch';
import { surveyService } from '../src/survey.service-definition';

const HOUR = 3_600_000;
const actor = { subject: 'test-agent', role: 'agent' };

/** Bad input, scoping, replays and expiry of answers; the batch's edges (reopen, late close events). */
describe('survey answers refuse bad input and keep nothing of it (real PostgreSQL)', () => {
  const clock = new ManualClock('2027-03-01T02:00:00Z'); // Monday 2027-W09, 10:00 in Shanghai
  let t: TestService;
  let events: EventEnvelope[];
  const surveys = new Map<string, { surveyId: string; token: string; customerId: string }>();
  const surveyedLater: { reopened?: { caseId: string; caseNumber: string; region: string; customerId: string } } = {};

  beforeAll(async () => {
    const bus = new InProcessBus({ retryBackoffMs: [10] });
    events = await recordTopic(bus, 'aftersales.survey.events.v1');
    t = await startTestService(surveyService, { bus, clock, env: { SURVEY_BATCH_CHECK_MS: '0', SURVEY_TIME_ZONE: 'Asia/Shanghai' } });
  });
  afterAll(() => t.stop());

  /** A case opened, assigned and closed at the clock's now, as the case service would announce it. */
  async function closedCase(customerId: string, region = 'north') {
    const opened = caseOpened({
      customerId,
      region,
      openedAt: clock.now().toISOString(),
      caseNumber: `${region.toUpperCase()}-2027-${randomUUID().slice(0, 6)}`,
    });
    const ref = { caseId: opened.caseId, caseNumber: opened.caseNumber, region, customerId };
    await deliver(t.bus, upstreamEvent('case.opened.v1', opened.caseId, opened));
    await deliver(
      t.bus,
      upstreamEvent('case.assigned.v1', opened.caseId, {
        ...ref,
        severity: 'P3',
        tier: 'L1',
        engineerId: 'liu',
        engineerName: 'Hotline Liu',
        actor,
        reason: 'policy',
        at: clock.now().toISOString(),
      }),
    );
    await setStatus(ref, 'resolved', 'closed');
    return ref;
  }
  const setStatus = (
    ref: { caseId: string; caseNumber: string; region: string; customerId: string },
    from: string,
    to: string,
    at = clock.now().toISOString(),
  ) =>
    deliver(
      t.bus,
      upstreamEvent('case.status.changed.v1', ref.caseId, {
        ...ref,
        severity: 'P3',
        from: from as 'resolved',
        to: to as 'closed',
        actor,
        at,
      }),
    );

  const runDue = () => t.service.app.get(SurveyBatch).runDue();
  const invitationOf = (caseId: string) => events.find((e) => e.type === 'survey.invitation.requested.v1' && e.subject === caseId);
  const stored = async (surveyId: string) => {
    const [row] = await t.service.runtime.dataSource.query(
      `SELECT status, response_time, technical_skill, attitude, outcome, smooth, comment FROM "${t.schema}".surveys WHERE id = $1`,
      [surveyId],
    );
    const [{ n }] = await t.service.runtime.dataSource.query(
      `SELECT count(*)::int AS n FROM "${t.schema}".survey_callbacks WHERE survey_id = $1`,
      [surveyId],
    );
    const [{ a }] = await t.service.runtime.dataSource.query(
      `SELECT count(*)::int AS a FROM "${t.schema}".outbox WHERE event_type = 'survey.answered.v1' AND payload->>'surveyId' = $1`,
      [surveyId],
    );
    return { ...row, callbacks: n, answeredEvents: a };
  };
  const untouched = {
    status: 'sent',
    response_time: null,
    technical_skill: null,
    attitude: null,
    outcome: null,
    smooth: null,
    comment: null,
    callbacks: 0,
    answeredEvents: 0,
  };
  const fields = (body: { errors?: Array<{ field: string }> }) => (body.errors ?? []).map((e) => e.field);
  const link = (token: string, method: string, body?: unknown, headers?: Record<string, string>) =>
    t.http(method, `/answer/${token}`, { token: 'none', body, headers });

  it('surveys the week’s closed cases of every region, once; a case reopened before the batch is left for its next close', async () => {
    const a = await closedCase('C-A');
    const b = await closedCase('C-B');
    const south = await closedCase('C-S', 'south');
    const reopened = await closedCase('C-R');
    await setStatus(reopened, 'closed', 'reopened');

    clock.set('2027-03-08T01:00:00Z'); // Monday 09:00 of the next week
    const runs = (await Promise.all([runDue(), runDue()])).flat();
    expect(runs.map((r) => [r.region, r.week, r.surveys]).sort()).toEqual([
      ['north', '2027-W09', 2],
      ['south', '2027-W09', 1],
    ]);
    for (const c of [a, b, south]) {
      const e = await waitFor(`invitation of ${c.caseNumber}`, () => invitationOf(c.caseId));
      const d = e.data as { surveyId: string; link: string; customerId: string };
      surveys.set(c.customerId, { surveyId: d.surveyId, token: d.link.split('/').pop()!, customerId: d.customerId });
    }
    expect(invitationOf(reopened.caseId)).toBeUndefined();
    surveyedLater.reopened = reopened;
  });

  it('refuses scores 0, 6, 2.5, "5", null, arrays and objects, naming the item, and stores nothing', async () => {
    const { token, surveyId } = surveys.get('C-A')!;
    for (const bad of [0, 6, 2.5, '5', null, [5], { value: 5 }, true]) {
      for (const method of ['PATCH', 'POST']) {
        const r = await link(token, method, { scores: { responseTime: 5, attitude: bad } });
        expect({ bad, method, status: r.status, fields: [...new Set(fields(r.body))] }).toEqual({
          bad,
          method,
          status: 400,
          fields: ['scores.attitude'],
        });
      }
    }
    const phone = await t.http('POST', `/surveys/${surveyId}/answer`, {
      role: 'agent',
      body: { scores: { outcome: 0, technicalSkill: '4' } },
    });
    expect(phone.status).toBe(400);
    expect(fields(phone.body).sort()).toEqual(['scores.outcome', 'scores.technicalSkill']);
    expect(await stored(surveyId)).toEqual(untouched);
  });

  it('refuses unknown items and fields, malformed scores and flags, naming them', async () => {
    const { token, surveyId } = surveys.get('C-A')!;
    const cases: Array<[unknown, string[]]> = [
      [{ scores: { speed: 5 } }, ['scores.speed']],
      [{ scores: { responseTime: 5 }, rating: 5 }, ['rating']],
      [{ scores: null }, ['scores']],
      [{ scores: 'all fives' }, ['scores']],
      [{ smooth: 'yes' }, ['smooth']],
      [{ smooth: null }, ['smooth']],
      [{ comment: 42 }, ['comment']],
      [{ comment: 'x'.repeat(4001) }, ['comment']],
    ];
    for (const [body, named] of cases) {
      const r = await link(token, 'PATCH', body);
      expect({ body, status: r.status, fields: [...new Set(fields(r.body))] }).toEqual({ body, status: 400, fields: named });
    }
    // an array is refused as `scores` (and each of its elements by position)
    const array = await link(token, 'PATCH', { scores: [5, 5, 5, 5] });
    expect(array.status).toBe(400);
    expect(fields(array.body)).toContain('scores');
    expect(fields(array.body).every((f) => f === 'scores' || f.startsWith('scores.'))).toBe(true);
    const malformed = await t.http('PATCH', `/answer/${token}`, {
      token: 'none',
      body: '{"scores":',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    const empty = await link(token, 'PATCH', {});
    expect([empty.status, fields(empty.body)]).toEqual([422, ['(body)']]);
    const incomplete = await link(token, 'POST', { scores: { responseTime: 2 } });
    expect(incomplete.status).toBe(422);
    expect(fields(incomplete.body)).toEqual(['scores.technicalSkill', 'scores.attitude', 'scores.outcome']);
    expect(await stored(surveyId)).toEqual(untouched);
  });

  it('answers 404 for another customer’s survey, another region’s, and for unknown links', async () => {
    const { surveyId } = surveys.get('C-A')!;
    const other = await tokenFor('customer', { customerId: 'C-B' });
    expect((await t.http('GET', `/surveys/${surveyId}`, { token: other })).status).toBe(404);
    const answer = { scores: { responseTime: 1, technicalSkill: 1, attitude: 1, outcome: 1 } };
    expect((await t.http('POST', `/surveys/${surveyId}/answer`, { token: other, body: answer })).status).toBe(404);
    expect((await t.http('PATCH', `/surveys/${surveyId}/answer`, { token: other, body: { comment: 'x' } })).status).toBe(404);
    const own = await t.http('GET', '/surveys', { token: other });
    expect(own.body.items.map((s: { customerId: string }) => s.customerId)).toEqual(['C-B']);
    expect(own.body.items[0]).not.toHaveProperty('ownerName');
    const southAgent = await tokenFor('agent', { region: 'south' });
    expect((await t.http('POST', `/surveys/${surveyId}/answer`, { token: southAgent, body: answer })).status).toBe(404);
    expect((await t.http('GET', `/surveys/${surveys.get('C-S')!.surveyId}`, { role: 'agent' })).status).toBe(404);
    expect((await link('A'.repeat(43), 'GET')).status).toBe(404);
    expect((await link('not-a-token', 'POST', answer)).status).toBe(404);
    expect((await t.http('GET', '/reports/weeks/2027-W09', { token: other })).status).toBe(404);
    expect(await stored(surveyId)).toEqual(untouched);

    // the customer's own survey, in the portal
    const mine = await t.http('POST', `/surveys/${surveys.get('C-B')!.surveyId}/answer`, {
      token: other,
      body: { scores: { responseTime: 5, technicalSkill: 5, attitude: 4, outcome: 5 } },
    });
    expect(mine.body).toMatchObject({ status: 'answered', via: 'portal' });
  });

  it('answers a final answer once: a replay with its Idempotency-Key gets the same answer, anything else 409', async () => {
    const { token, surveyId } = surveys.get('C-A')!;
    const answer = { scores: { responseTime: 5, technicalSkill: 4, attitude: 5, outcome: 1 }, smooth: false };
    const first = await link(token, 'POST', answer, { 'idempotency-key': 'answer-1' });
    expect(first.status).toBe(200);
    const replay = await link(token, 'POST', answer, { 'idempotency-key': 'answer-1' });
    expect([replay.status, replay.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
    expect(replay.body).toEqual(JSON.parse(JSON.stringify(first.body)));
    expect((await link(token, 'POST', { ...answer, smooth: true }, { 'idempotency-key': 'answer-1' })).status).toBe(422);
    expect((await link(token, 'POST', answer)).status).toBe(409);
    expect((await link(token, 'PATCH', { comment: 'changed my mind' })).status).toBe(409);
    expect((await t.http('POST', `/surveys/${surveyId}/answer`, { role: 'agent', body: answer })).status).toBe(409);
    const after = await stored(surveyId);
    expect(after).toMatchObject({ status: 'answered', outcome: 1, smooth: false, comment: null, callbacks: 1, answeredEvents: 1 });
    // the form still opens and shows the answer
    expect((await link(token, 'GET')).body).toMatchObject({ status: 'answered', scores: { outcome: 1 } });
  });

  it('refuses an expired link with 410; an agent can still record the answer from a phone call', async () => {
    const { token, surveyId } = surveys.get('C-S')!;
    clock.set(new Date(new Date('2027-03-08T01:00:00Z').getTime() + 14 * 24 * HOUR)); // the link's lifetime is over
    expect((await link(token, 'GET')).status).toBe(410);
    expect((await link(token, 'PATCH', { comment: 'late' })).status).toBe(410);
    const late = await link(token, 'POST', { scores: { responseTime: 3, technicalSkill: 3, attitude: 3, outcome: 3 } });
    expect(late.status).toBe(410);
    expect(await stored(surveyId)).toEqual(untouched);
    const southAgent = await tokenFor('agent', { region: 'south', sub: 'agent-s' });
    const byPhone = await t.http('POST', `/surveys/${surveyId}/answer`, {
      token: southAgent,
      body: { scores: { responseTime: 3, technicalSkill: 4, attitude: 3, outcome: 4 }, comment: 'called on 22 March' },
    });
    expect(byPhone.body).toMatchObject({ status: 'answered', via: 'phone' });
    expect(await stored(surveyId)).toMatchObject({ status: 'answered', callbacks: 0, answeredEvents: 1 });
  });

  it('logs the phone answer: the agent, the time, and each score before and after', async () => {
    const { surveyId } = surveys.get('C-S')!;
    const log = await t.http('GET', '/audit?actor=agent-s', { token: await tokenFor('manager', { region: 'south' }) });
    const answered = log.body.items.filter((e: { action: string }) => e.action === 'surveys.update');
    expect(answered).toEqual([
      expect.objectContaining({
        actor: 'agent-s',
        actorRole: 'agent',
        region: 'south',
        aggregateId: surveyId,
        at: clock.now().toISOString(),
        before: expect.objectContaining({ status: 'sent', response_time: null, technical_skill: null, comment: null }),
        after: expect.objectContaining({ status: 'answered', response_time: 3, technical_skill: 4, comment: 'called on 22 March' }),
      }),
    ]);
  });

  it('refuses malformed rules, periods and report ranges by name', async () => {
    const manager = await tokenFor('manager');
    const noCriteria = await t.http('POST', '/exclusion-rules', { token: manager, body: { name: 'nothing', criteria: {} } });
    expect([noCriteria.status, fields(noCriteria.body)]).toEqual([422, ['criteria']]);
    const badType = await t.http('POST', '/exclusion-rules', {
      token: manager,
      body: { name: 'x', criteria: { caseType: 'LSP', colour: 'red' } },
    });
    expect([badType.status, fields(badType.body).sort()]).toEqual([400, ['criteria.caseType', 'criteria.colour']]);
    expect((await t.http('POST', '/exclusion-rules', { role: 'agent', body: { name: 'x', criteria: { tag: 'LSP' } } })).status).toBe(403);
    const other = await t.http('POST', '/exclusion-rules', {
      token: manager,
      body: { name: 'x', region: 'south', criteria: { tag: 'LSP' } },
    });
    expect(other.status).toBe(404);
    expect((await t.http('GET', '/exclusion-rules', { token: manager })).body.items).toEqual([]);
    const rule = { name: 'key accounts are called, not mailed', criteria: { customerId: 'C-VIP' } };
    const once = await t.http('POST', '/exclusion-rules', { token: manager, body: rule, headers: { 'idempotency-key': 'rule-1' } });
    const twice = await t.http('POST', '/exclusion-rules', { token: manager, body: rule, headers: { 'idempotency-key': 'rule-1' } });
    expect([once.status, twice.status, twice.headers.get('idempotent-replayed'), twice.body.id]).toEqual([201, 201, 'true', once.body.id]);
    expect((await t.http('GET', '/exclusion-rules', { token: manager })).body).toMatchObject({ total: 1, limit: 50, offset: 0 });

    expect((await t.http('GET', '/periods/2027-W99', { token: manager })).status).toBe(404);
    expect((await t.http('POST', '/periods/2027-W09/review', { role: 'agent', body: {} })).status).toBe(403);
    const range = await t.http('GET', '/reports/weeks?from=2027-W10&to=2027-W09', { token: manager });
    expect([range.status, fields(range.body)]).toEqual([422, ['from']]);
    const format = await t.http('GET', '/reports/engineers?format=xml&to=2027-W9', { token: manager });
    expect([format.status, fields(format.body).sort()]).toEqual([400, ['format', 'to']]);
    const tags = await t.http('PUT', `/cases/${randomUUID()}/tags`, { token: manager, body: { tags: ['LSP', ' '] } });
    expect([tags.status, fields(tags.body)]).toEqual([400, ['tags']]);
  });

  it('surveys a reopened case when it closes again, and a close reported after its week’s batch in the next batch', async () => {
    // the clock is past 2027-W11's batch: one call catches up on W10, the late report goes to W11
    const reopened = surveyedLater.reopened!;
    await setStatus(reopened, 'resolved', 'closed', '2027-03-10T02:00:00Z');
    expect((await runDue()).map((r) => [r.region, r.week, r.surveys])).toEqual([['north', '2027-W10', 1]]);
    await waitFor('the reopened case surveyed in its new week', () => invitationOf(reopened.caseId));
    const late = caseOpened({ customerId: 'C-L', openedAt: '2027-03-11T02:00:00Z' });
    await deliver(t.bus, upstreamEvent('case.opened.v1', late.caseId, late));
    await setStatus(
      { caseId: late.caseId, caseNumber: late.caseNumber, region: 'north', customerId: 'C-L' },
      'resolved',
      'closed',
      '2027-03-14T08:00:00Z',
    );
    expect((await runDue()).map((r) => [r.region, r.week, r.surveys])).toEqual([['north', '2027-W11', 1]]);
    await waitFor('the late close surveyed the week after', () => invitationOf(late.caseId));
    expect(await runDue()).toEqual([]);
  });

  it('documents every route with its responses; the answer form needs no bearer token', async () => {
    const doc = (await fetch(`${t.service.url}/docs/openapi.json`).then((r) => r.json())) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>;
      components: { schemas: Record<string, unknown> };
    };
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([m, op]) => ({ path, m, op })));
    const own = ops.filter((o) => !o.path.startsWith('/health') && o.path !== '/metrics');
    expect(own.length).toBeGreaterThan(15);
    for (const o of own)
      expect({ route: `${o.m} ${o.path}`, ok: Object.keys(o.op.responses).some((c) => /^2/.test(c)) }).toEqual({
        route: `${o.m} ${o.path}`,
        ok: true,
      });
    expect(Object.keys(doc.paths['/answer/{token}']?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '404', '409', '410', '422']),
    );
    expect(JSON.stringify(doc.components.schemas.ScoresDto)).toContain('technicalSkill');
    const res = await fetch(`${t.service.url}/surveys`);
    expect(res.status).toBe(401);
  });
});
