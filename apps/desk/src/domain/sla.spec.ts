import type { BoardClock } from '../api/types';
import { breachOf, formatCountdown, groupByCase, riskOf, sortByBreach } from './sla';

const MIN = 60_000;
const clock = (o: Partial<BoardClock>): BoardClock => ({
  clockId: 'k',
  caseId: 'c1',
  region: 'north',
  severity: 'P1',
  target: 'ladder:diagnosis',
  state: 'running',
  startedAt: '2026-01-01T00:00:00Z',
  dueAt: '2026-01-01T00:10:00Z',
  nextDueAt: null,
  pausedSince: null,
  ...o,
});

describe('SLA countdowns', () => {
  it('colours by time left: breached, under 15 min, under an hour, later; paused and clockless apart', () => {
    expect(riskOf(-1)).toBe('breached');
    expect(riskOf(0)).toBe('breached');
    expect(riskOf(14 * MIN)).toBe('critical');
    expect(riskOf(59 * MIN)).toBe('warning');
    expect(riskOf(61 * MIN)).toBe('ok');
    expect(riskOf(5 * MIN, true)).toBe('paused');
    expect(riskOf(null)).toBe('none');
  });

  it('formats countdowns and overdue times', () => {
    expect(formatCountdown(9 * MIN + 5000)).toBe('0:09:05');
    expect(formatCountdown(-(3 * MIN + 12000))).toBe('-0:03:12');
    expect(formatCountdown(26 * 60 * MIN)).toBe('1d 2h');
  });

  it('takes a case’s soonest running, unpaused breach', () => {
    const b = breachOf([
      clock({ target: 'onsite', dueAt: '2026-01-01T01:00:00Z' }),
      clock({ target: 'ladder:diagnosis', dueAt: '2026-01-01T00:10:00Z' }),
      clock({ target: 'response', dueAt: '2026-01-01T00:05:00Z', state: 'stopped' }),
      clock({ target: 'downtime', dueAt: null }),
    ]);
    expect(b).toEqual({ dueAt: Date.parse('2026-01-01T00:10:00Z'), paused: false, target: 'ladder:diagnosis' });
    expect(breachOf([clock({ pausedSince: '2026-01-01T00:01:00Z' })])).toEqual({ dueAt: null, paused: true, target: null });
    expect(breachOf([])).toEqual({ dueAt: null, paused: false, target: null });
  });

  it('sorts cases by time to breach, clockless last', () => {
    const cases = [
      { id: 'a', severity: 'P3' as const, openedAt: '2026-01-01T00:00:00Z' },
      { id: 'b', severity: 'P1' as const, openedAt: '2026-01-01T00:00:00Z' },
      { id: 'c', severity: 'P2' as const, openedAt: '2026-01-01T00:00:00Z' },
    ];
    const byCase = groupByCase([
      clock({ caseId: 'a', dueAt: '2026-01-01T00:05:00Z' }),
      clock({ caseId: 'b', dueAt: '2026-01-01T00:10:00Z' }),
    ]);
    const breaches = new Map([...byCase].map(([id, k]) => [id, breachOf(k)]));
    expect(sortByBreach(cases, breaches).map((c) => c.id)).toEqual(['a', 'b', 'c']);
  });
});
