import fc from 'fast-check';
import { BusinessCalendar } from '@aftersales/calendar';
import { BENCH_CALENDAR } from './bench-calendar';
import { dueEvents, LADDER_A, LADDER_B, planRungs, SEVERITIES, SlaPolicy } from '.';
import { breachAtOf, FiringPlans } from './firing-plan';

const CALENDARS = [BusinessCalendar.always('7x24', 'UTC'), new BusinessCalendar(BENCH_CALENDAR)];
const FROM = Date.parse('2025-12-20T00:00:00Z');
const TO = Date.parse('2026-12-20T00:00:00Z');
/** a policy whose warnings share instants with rungs and breaches (ties ordered by kind, then rung) */
const TIED: SlaPolicy = {
  ...LADDER_B,
  id: 'tied',
  severities: {
    ...LADDER_B.severities,
    P1: { ...LADDER_B.severities.P1, targets: { diagnosis: 10, resolution: 12.5 }, warnAtShare: 0.8 },
  },
};

describe('FiringPlans: the firing loop plans exactly as planRungs does', () => {
  const plans = new FiringPlans();

  it('gives the same events, in the same order, with the same due times, for clocks without pauses', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(LADDER_A, LADDER_B, TIED),
        fc.constantFrom(...SEVERITIES),
        fc.constantFrom(...CALENDARS),
        fc.integer({ min: FROM, max: TO }),
        (policy, severity, calendar, start) => {
          const expected = planRungs({ policy, severity, calendar, startedAt: new Date(start), now: new Date(start) });
          const got = plans.plan(policy, severity, calendar, start, []);
          expect(got.events.map((e) => [e.key, e.at])).toEqual(dueEvents(expected).map((e) => [e.key, e.at.getTime()]));
          for (const t of expected.targets) expect(breachAtOf(got, t.kind)).toBe(t.breachAt?.getTime() ?? null);
          expect(got.ladderTarget).toBe(expected.ladderTarget);
          expect(got.rungs.map((r) => r.label)).toEqual(expected.rungs.map((r) => r.label));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('follows planRungs for clocks with pauses (an open pause leaves later events undetermined)', () => {
    const start = Date.parse('2026-03-02T09:30:00+08:00');
    const pauses = [
      { from: new Date(start + 5 * 60_000), to: new Date(start + 65 * 60_000), reason: 'customer' as const },
      { from: new Date(start + 120 * 60_000), to: null, reason: 'customer' as const },
    ];
    for (const calendar of CALENDARS) {
      const expected = dueEvents(
        planRungs({ policy: LADDER_B, severity: 'P1', calendar, startedAt: new Date(start), pauses, now: new Date(start) }),
      );
      const got = plans.plan(LADDER_B, 'P1', calendar, start, pauses);
      expect(got.events.map((e) => [e.key, e.at])).toEqual(expected.map((e) => [e.key, e.at.getTime()]));
      expect(got.events.length).toBeLessThan(plans.plan(LADDER_B, 'P1', calendar, start, []).events.length);
    }
  });
});
