import { BusinessCalendar } from '@aftersales/calendar';
import { ClockPause, EscalationPlan, SlaClock, dueEvents, nextDue, nextDueEvent, planRungs, simulatePolicy } from './escalation-plan';
import { LADDER_A, LADDER_B, Severity, SlaPolicy } from './sla-policy';

/** Shanghai local wall time → Date. */
const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);
const isoSh = (local: string) => sh(local).toISOString();

const BH = new BusinessCalendar({
  id: 'cn-mon-fri-09-18',
  timeZone: 'Asia/Shanghai',
  kind: 'business-hours',
  weekly: Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ start: '09:00', end: '18:00' }]])),
});
const ALWAYS = new BusinessCalendar({ id: 'cn-7x24', timeZone: 'Asia/Shanghai', kind: '7x24' });

const START = sh('2026-03-02 10:00'); // a Monday
const LATER = sh('2026-06-01 00:00'); // "now" after everything

/** [afterMinutes, roles, action] of one rung, as domain.md §6 lists them */
type Row = [number, string[], string?];

/** When a rung that many minutes after START falls due: [on 7x24, on Mon–Fri 09–18], Shanghai local time */
const DUE: Record<number, [string, string]> = {
  10: ['2026-03-02 10:10', '2026-03-02 10:10'],
  60: ['2026-03-02 11:00', '2026-03-02 11:00'],
  120: ['2026-03-02 12:00', '2026-03-02 12:00'],
  240: ['2026-03-02 14:00', '2026-03-02 14:00'],
  720: ['2026-03-02 22:00', '2026-03-03 13:00'],
  1440: ['2026-03-03 10:00', '2026-03-04 16:00'],
  2880: ['2026-03-04 10:00', '2026-03-09 13:00'],
  4320: ['2026-03-05 10:00', '2026-03-12 10:00'],
  5760: ['2026-03-06 10:00', '2026-03-16 16:00'],
};

const PL = ['project-lead'];
const TM = ['technical-manager'];
const TD = ['technical-director'];
const GM = ['general-manager'];
const M1 = ['manager1', 'senior-engineer'];
const M2 = ['manager2'];
const M3 = ['manager3'];
const V = ['vendor'];
const OVC = 'open-vendor-case';

// domain.md §6, Ladder A (fault duration): 1h/2h/4h/12h/24h — one line per severity, as the document's table
// prettier-ignore
const LADDER_A_TABLE: Record<Severity, Row[]> = {
  P1: [[60, PL], [120, TM], [240, TD], [720, GM]],
  P2: [[120, PL], [240, TM], [720, TD], [1440, GM]],
  P3: [[240, PL], [720, TM], [1440, TD]],
  P4: [[720, PL], [1440, TM]],
};

// domain.md §6, Ladder B (time to diagnosis): 10min/1h/4h/24h/48h/72h/96h
// prettier-ignore
const LADDER_B_TABLE: Record<Severity, Row[]> = {
  P1: [[10, M1], [60, M2], [240, V, OVC], [1440, M3]],
  P2: [[60, M1], [240, M2], [1440, V, OVC], [2880, M3]],
  P3: [[240, M1], [1440, V, OVC], [2880, M2], [4320, M3]],
  P4: [[1440, M1], [2880, V, OVC], [4320, M2], [5760, M3]],
};

const CASES: Array<[string, SlaPolicy, Severity, Row[], 'calendar' | 'bh', BusinessCalendar]> = [];
for (const [policy, table] of [
  [LADDER_A, LADDER_A_TABLE],
  [LADDER_B, LADDER_B_TABLE],
] as const) {
  for (const sev of ['P1', 'P2', 'P3', 'P4'] as const) {
    CASES.push([`${policy.id} ${sev} on 7x24`, policy, sev, table[sev], 'calendar', ALWAYS]);
    CASES.push([`${policy.id} ${sev} on Mon–Fri 09–18 Asia/Shanghai`, policy, sev, table[sev], 'bh', BH]);
  }
}

const simplify = (plan: EscalationPlan) =>
  plan.rungs.map((r) => [r.afterMinutes, r.notifyRoles, r.action, r.dueAt?.toISOString() ?? null, r.state]);

describe('planRungs replays the seed ladders', () => {
  it.each(CASES)('%s', (_name, policy, sev, rows, mode, calendar) => {
    const plan = planRungs({ policy, severity: sev, calendar, startedAt: START, pauses: [], now: LATER });
    expect(simplify(plan)).toEqual(
      rows.map(([after, roles, action]) => [after, roles, action, isoSh(DUE[after]![mode === 'bh' ? 1 : 0]), 'due']),
    );
    expect(plan.ladderTarget).toBe(policy === LADDER_A ? 'resolution' : 'diagnosis');
  });

  it('marks rungs due or pending relative to now', () => {
    const plan = planRungs({ policy: LADDER_B, severity: 'P1', calendar: BH, startedAt: START, now: sh('2026-03-02 11:00') });
    expect(plan.rungs.map((r) => r.state)).toEqual(['due', 'due', 'pending', 'pending']);
    expect(plan.elapsedMinutes).toBe(60);
    expect(plan.pausedAtNow).toBe(false);
  });

  it('plans pre-breach warnings at warnAtShare of each target, and the breaches', () => {
    const at = (plan: EscalationPlan) =>
      Object.fromEntries(plan.targets.map((t) => [t.kind, [t.warnAt?.toISOString(), t.breachAt?.toISOString()]]));
    const now = sh('2026-03-02 10:09');
    expect(at(planRungs({ policy: LADDER_B, severity: 'P1', calendar: ALWAYS, startedAt: START, now }))).toEqual({
      diagnosis: [isoSh('2026-03-02 10:08'), isoSh('2026-03-02 10:10')], // 8 of 10 minutes
      onsite: [isoSh('2026-03-03 05:12'), isoSh('2026-03-03 10:00')], // 1152 of 1440 minutes
    });
    const bh = planRungs({ policy: LADDER_B, severity: 'P1', calendar: BH, startedAt: START, now });
    expect(at(bh)).toEqual({
      diagnosis: [isoSh('2026-03-02 10:08'), isoSh('2026-03-02 10:10')],
      onsite: [isoSh('2026-03-04 11:12'), isoSh('2026-03-04 16:00')],
    });
    expect(bh.targets.find((t) => t.kind === 'diagnosis')).toMatchObject({ warnState: 'due', breachState: 'pending' });
    expect(at(planRungs({ policy: LADDER_A, severity: 'P2', calendar: BH, startedAt: START, now }))).toEqual({
      resolution: [isoSh('2026-03-02 11:36'), isoSh('2026-03-02 12:00')],
      'email-reply': [isoSh('2026-03-04 11:12'), isoSh('2026-03-04 16:00')],
    });
  });

  it('a case opened in closed time starts its clock at the next opening', () => {
    const plan = planRungs({ policy: LADDER_B, severity: 'P1', calendar: BH, startedAt: sh('2026-03-07 22:00'), now: LATER });
    expect(plan.rungs.map((r) => r.dueAt?.toISOString())).toEqual(
      ['2026-03-09 09:10', '2026-03-09 10:00', '2026-03-09 13:00', '2026-03-11 15:00'].map(isoSh),
    );
  });
});

describe('pauses stop the clock', () => {
  const plan = (pauses: ClockPause[], now = LATER, calendar = ALWAYS, policy = LADDER_B, severity: Severity = 'P1') =>
    planRungs({ policy, severity, calendar, startedAt: START, pauses, now });
  const dues = (p: EscalationPlan) => p.rungs.map((r) => (r.dueAt ? r.dueAt.toISOString() : null));

  it('a closed pause shifts every later rung, warning and breach', () => {
    const p = plan([{ from: sh('2026-03-02 10:05'), to: sh('2026-03-02 10:35'), reason: 'customer' }]);
    expect(dues(p)).toEqual(['2026-03-02 10:40', '2026-03-02 11:30', '2026-03-02 14:30', '2026-03-03 10:30'].map(isoSh));
    const diagnosis = p.targets.find((t) => t.kind === 'diagnosis')!;
    expect([diagnosis.warnAt?.toISOString(), diagnosis.breachAt?.toISOString()]).toEqual([
      isoSh('2026-03-02 10:38'),
      isoSh('2026-03-02 10:40'),
    ]);
  });

  it('a pause after a rung leaves it alone', () => {
    const p = plan([{ from: sh('2026-03-02 10:20'), to: sh('2026-03-02 11:20') }]);
    expect(dues(p)).toEqual(['2026-03-02 10:10', '2026-03-02 12:00', '2026-03-02 15:00', '2026-03-03 11:00'].map(isoSh));
  });

  it('an open pause makes the rungs not yet reached undetermined', () => {
    const p = plan([{ from: sh('2026-03-02 10:20') }], sh('2026-03-02 12:00'));
    expect(p.rungs.map((r) => [r.dueAt?.toISOString() ?? null, r.state])).toEqual([
      [isoSh('2026-03-02 10:10'), 'due'],
      [null, 'paused'],
      [null, 'paused'],
      [null, 'paused'],
    ]);
    expect(p.pausedAtNow).toBe(true);
    expect(p.elapsedMinutes).toBe(20);
    expect(nextDue(p, [0])).toBeNull();
    expect(nextDue(p, [])).toMatchObject({ rungIndex: 0 });
  });

  it('pauses whose reason the severity does not pause on are ignored', () => {
    const parts = plan([{ from: sh('2026-03-02 10:05'), to: sh('2026-03-02 10:35'), reason: 'parts' }]);
    expect(dues(parts)).toEqual(['2026-03-02 10:10', '2026-03-02 11:00', '2026-03-02 14:00', '2026-03-03 10:00'].map(isoSh));
  });

  it('overlapping, touching and pre-start pauses are merged and clipped', () => {
    const p = plan([
      { from: sh('2026-03-02 09:00'), to: sh('2026-03-02 10:02') }, // 2 min after start
      { from: sh('2026-03-02 10:04'), to: sh('2026-03-02 10:10') },
      { from: sh('2026-03-02 10:08'), to: sh('2026-03-02 10:14') },
      { from: sh('2026-03-02 10:14'), to: sh('2026-03-02 10:20') }, // touches: 10:04–10:20 in all
    ]);
    // running: 10:02–10:04 (2 min), then from 10:20
    expect(dues(p)[0]).toBe(isoSh('2026-03-02 10:28'));
    expect(() => plan([{ from: sh('2026-03-02 11:00'), to: sh('2026-03-02 10:00') }])).toThrow(RangeError);
  });

  it('in business hours only the open time inside a pause is lost', () => {
    // Ladder A P2; pause Mon 17:00 – Tue 10:00 removes Mon 17–18 and Tue 09–10: 2 business hours
    const p = plan([{ from: sh('2026-03-02 17:00'), to: sh('2026-03-03 10:00') }], LATER, BH, LADDER_A, 'P2');
    expect(dues(p)).toEqual(['2026-03-02 12:00', '2026-03-02 14:00', '2026-03-03 15:00', '2026-03-04 18:00'].map(isoSh));
    // the 24 h rung completes exactly at Wednesday's closing time, which is its due instant
    expect(BH.isOpen(p.rungs[3]!.dueAt!)).toBe(false);
  });

  it('a pause entirely in closed time changes nothing', () => {
    const p = plan([{ from: sh('2026-03-02 19:00'), to: sh('2026-03-03 08:30') }], LATER, BH, LADDER_A, 'P2');
    expect(dues(p)).toEqual(['2026-03-02 12:00', '2026-03-02 14:00', '2026-03-03 13:00', '2026-03-04 16:00'].map(isoSh));
  });
});

describe('next due helpers', () => {
  const plan = planRungs({ policy: LADDER_B, severity: 'P2', calendar: BH, startedAt: START, now: sh('2026-03-02 10:30') });

  it('nextDue picks the earliest unfired rung, overdue ones included', () => {
    expect(nextDue(plan, [])).toMatchObject({ rungIndex: 0, at: sh('2026-03-02 11:00') });
    expect(nextDue(plan, [0])).toMatchObject({ rungIndex: 1, at: sh('2026-03-02 14:00') });
    expect(nextDue(plan, new Set([0, 1, 2]))).toMatchObject({ rungIndex: 3, at: sh('2026-03-09 13:00') });
    expect(nextDue(plan, [0, 1, 2, 3])).toBeNull();
  });

  it('dueEvents orders warnings, breaches and rungs with stable keys', () => {
    expect(dueEvents(plan).map((e) => [e.key, e.at.toISOString()])).toEqual([
      ['warning:diagnosis', isoSh('2026-03-02 10:48')],
      ['breach:diagnosis', isoSh('2026-03-02 11:00')],
      ['rung:0', isoSh('2026-03-02 11:00')],
      ['rung:1', isoSh('2026-03-02 14:00')],
      ['warning:onsite', isoSh('2026-03-04 11:12')],
      ['breach:onsite', isoSh('2026-03-04 16:00')],
      ['rung:2', isoSh('2026-03-04 16:00')],
      ['rung:3', isoSh('2026-03-09 13:00')],
    ]);
    expect(nextDueEvent(plan, ['warning:diagnosis'])?.key).toBe('breach:diagnosis');
    expect(
      nextDueEvent(
        plan,
        dueEvents(plan).map((e) => e.key),
      ),
    ).toBeNull();
  });

  it('simulatePolicy plans every severity', () => {
    const sim = simulatePolicy({ policy: LADDER_A, calendar: BH, startedAt: START, now: LATER });
    expect(Object.keys(sim)).toEqual(['P1', 'P2', 'P3', 'P4']);
    expect(sim.P4.rungs.map((r) => r.dueAt?.toISOString())).toEqual(['2026-03-03 13:00', '2026-03-04 16:00'].map(isoSh));
  });
});

describe('SlaClock', () => {
  it('elapsed and due are inverse, pauses excluded', () => {
    const clock = new SlaClock(BH, START, [{ from: sh('2026-03-02 12:00'), to: sh('2026-03-02 13:00') }]);
    expect(clock.elapsedMsAt(sh('2026-03-02 14:00').getTime()) / 60_000).toBe(180);
    expect(clock.dueAtMinutes(180)?.toISOString()).toBe(isoSh('2026-03-02 14:00'));
    expect(clock.elapsedMsAt(START.getTime() - 1)).toBe(0);
    expect(clock.dueAtMinutes(0)?.toISOString()).toBe(START.toISOString());
  });
});
