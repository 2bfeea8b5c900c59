import { InProcessBus } from '@aftersales/messaging';
import { caseOpened, deliver, startTestService, TestService, tokenFor, upstreamEvent, waitFor } from '@aftersales/testing';
import { escalationService } from '../src/escalation.service-definition';

const MIN = 60_000;
const H = 60 * MIN;

interface Entry {
  key: string;
  kind: string;
  dueAt: string | null;
  status: string;
  firedAt: string | null;
  rungIndex?: number;
  notifyRoles?: string[];
  action?: string;
}

const at = (start: Date | string, ms: number) => new Date(new Date(start).getTime() + ms).toISOString();
const rungs = (events: Entry[]) => events.filter((e) => e.kind === 'rung');

describe('escalation preview: case timeline and policy simulation (real PostgreSQL)', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService(escalationService, { bus: new InProcessBus(), env: { ESCALATION_FIRING_INTERVAL_MS: '50' } });
  });
  afterAll(() => t.stop());

  it('shows a P1 opened 2 h ago under ladder B: early events fired, later ones pending, at their exact times', async () => {
    const openedAt = new Date(Date.now() - 2 * H).toISOString();
    const opened = caseOpened({ severity: 'P1', openedAt });
    await deliver(t.bus, upstreamEvent('case.opened.v1', opened.caseId, opened));

    const body = await waitFor('the due events fired', async () => {
      const res = await t.http('GET', `/cases/${opened.caseId}/timeline`);
      expect(res.status).toBe(200);
      const events: Entry[] = res.body.clocks[0].events;
      return events.filter((e) => e.status === 'fired').length === 4 ? res.body : undefined;
    });
    expect(body.caseId).toBe(opened.caseId);
    expect(body.clocks).toHaveLength(1);
    const clock = body.clocks[0];
    expect(clock).toMatchObject({
      target: 'ladder:diagnosis',
      measures: 'diagnosis',
      stopReason: null,
      policyId: 'ladder-b',
      policyVersion: 1,
      severity: 'P1',
      calendarId: '7x24',
    });
    expect(new Date(clock.startedAt).toISOString()).toBe(openedAt);

    const events: Entry[] = clock.events;
    expect(events.map((e) => [e.key, e.dueAt, e.status])).toEqual([
      ['warning:diagnosis', at(openedAt, 8 * MIN), 'fired'],
      ['breach:diagnosis', at(openedAt, 10 * MIN), 'fired'],
      ['rung:0', at(openedAt, 10 * MIN), 'fired'],
      ['rung:1', at(openedAt, 1 * H), 'fired'],
      ['rung:2', at(openedAt, 4 * H), 'pending'],
      ['rung:3', at(openedAt, 24 * H), 'pending'],
    ]);
    for (const e of events) {
      if (e.status === 'fired') expect(new Date(e.firedAt!).getTime()).toBeGreaterThanOrEqual(new Date(e.dueAt!).getTime());
      else expect(e.firedAt).toBeNull();
    }
    expect(rungs(events).map((r) => [r.rungIndex, r.notifyRoles])).toEqual([
      [0, ['manager1', 'senior-engineer']],
      [1, ['manager2']],
      [2, ['vendor']],
      [3, ['manager3']],
    ]);
    expect(rungs(events)[2]?.action).toBe('open-vendor-case');
  });

  it('answers 404 for a case without a clock and 400 for a malformed id', async () => {
    expect((await t.http('GET', `/cases/${caseOpened().caseId}/timeline`)).status).toBe(404);
    expect((await t.http('GET', `/cases/not-a-uuid/timeline`)).status).toBe(400);
  });

  const start = '2026-11-23T08:00:00.000Z';

  it('simulates ladder A P2 from a fixed start: rungs at +2h/+4h/+12h/+24h with their roles', async () => {
    const res = await t.http('POST', '/policies/ladder-a/simulate', { body: { severity: 'P2', startedAt: start } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      policyId: 'ladder-a',
      policyVersion: 1,
      severity: 'P2',
      ladderTarget: 'resolution',
      startedAt: start,
    });
    const events: Entry[] = res.body.events;
    expect(rungs(events).map((r) => [r.rungIndex, r.dueAt, r.notifyRoles, r.status, r.firedAt])).toEqual([
      [0, at(start, 2 * H), ['project-lead'], 'pending', null],
      [1, at(start, 4 * H), ['technical-manager'], 'pending', null],
      [2, at(start, 12 * H), ['technical-director'], 'pending', null],
      [3, at(start, 24 * H), ['general-manager'], 'pending', null],
    ]);
    // resolution target = first rung (2 h), warning at 80 %
    expect(events.find((e) => e.key === 'warning:resolution')?.dueAt).toBe(at(start, 0.8 * 2 * H));
    expect(events.find((e) => e.key === 'breach:resolution')?.dueAt).toBe(at(start, 2 * H));
  });

  it('shifts what comes after a pause by the pause length, and leaves it undetermined while a pause is open', async () => {
    const pause = { from: at(start, 3 * H), to: at(start, 4.5 * H) };
    const res = await t.http('POST', '/policies/ladder-a/simulate', { body: { severity: 'P2', startedAt: start, pauses: [pause] } });
    expect(res.status).toBe(200);
    expect(rungs(res.body.events).map((r: Entry) => r.dueAt)).toEqual([
      at(start, 2 * H), // before the pause: unchanged
      at(start, 5.5 * H),
      at(start, 13.5 * H),
      at(start, 25.5 * H),
    ]);

    const open = await t.http('POST', '/policies/ladder-a/simulate', {
      body: { severity: 'P2', startedAt: start, pauses: [{ from: pause.from }] },
    });
    expect(open.status).toBe(200);
    expect(rungs(open.body.events).map((r: Entry) => [r.rungIndex, r.dueAt, r.status])).toEqual([
      [0, at(start, 2 * H), 'pending'],
      [1, null, 'paused'],
      [2, null, 'paused'],
      [3, null, 'paused'],
    ]);
  });

  it('rejects a bad body with the offending field names, and an unknown policy with 404', async () => {
    const bad = await t.http('POST', '/policies/ladder-a/simulate', {
      body: { severity: 'P9', startedAt: 'yesterday', pauses: [{ from: 'soon' }], colour: 'red' },
    });
    expect(bad.status).toBe(400);
    const fields = (bad.body.errors as Array<{ field: string }>).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['severity', 'startedAt', 'pauses.0.from', 'colour']));

    const missing = await t.http('POST', '/policies/ladder-b/simulate', { body: {} });
    expect(missing.status).toBe(400);
    expect((missing.body.errors as Array<{ field: string }>).map((e) => e.field)).toEqual(
      expect.arrayContaining(['severity', 'startedAt']),
    );

    const backwards = await t.http('POST', '/policies/ladder-a/simulate', {
      body: { severity: 'P2', startedAt: start, pauses: [{ from: at(start, 2 * H), to: at(start, H) }] },
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([expect.objectContaining({ field: 'pauses.0.to' })]);

    const unknown = await t.http('POST', '/policies/ladder-z/simulate', { body: { severity: 'P2', startedAt: start } });
    expect(unknown.status).toBe(404);
  });

  it('keeps the preview from customers (404, as for any record out of their scope)', async () => {
    const token = await tokenFor('customer', { customerId: 'C-100' });
    expect((await t.http('GET', `/cases/${caseOpened().caseId}/timeline`, { token })).status).toBe(404);
    expect((await t.http('POST', '/policies/ladder-a/simulate', { token, body: { severity: 'P2', startedAt: start } })).status).toBe(404);
  });
});
