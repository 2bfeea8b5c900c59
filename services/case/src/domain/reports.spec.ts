import { ageBucket, firstCallResolved, measuredTarget, percentile, periodOf, rate, toCsv } from './reports';

describe('management figures', () => {
  it('takes nearest-rank percentiles', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([60, 120, 180, 240, 300, 360], 90)).toBe(360);
    expect(percentile([], 50)).toBeNull();
  });

  it('counts a first-call resolution only for the hotline, without dispatch, escalation or reopen', () => {
    const base = {
      caseType: 'incident',
      tier: 'L1',
      reopenCount: 0,
      resolvedAt: new Date('2026-12-01T08:00:00Z'),
      onSite: false,
      escalated: false,
    };
    expect(firstCallResolved(base)).toBe(true);
    expect(firstCallResolved({ ...base, tier: 'L3' })).toBe(false);
    expect(firstCallResolved({ ...base, onSite: true })).toBe(false);
    expect(firstCallResolved({ ...base, escalated: true })).toBe(false);
    expect(firstCallResolved({ ...base, reopenCount: 1 })).toBe(false);
    expect(firstCallResolved({ ...base, resolvedAt: null })).toBe(false);
    expect(firstCallResolved({ ...base, caseType: 'complaint' })).toBe(false);
    expect(rate(20, 44)).toBe(0.4545);
    expect(rate(1, 0)).toBeNull();
  });

  it('reads the target a clock measures, buckets ages, names periods and writes CSV', () => {
    expect(measuredTarget('ladder:diagnosis')).toBe('diagnosis');
    expect(measuredTarget('response')).toBe('response');
    expect(measuredTarget('downtime')).toBeNull();
    expect(ageBucket(new Date('2026-03-01T00:00:00Z'), new Date('2026-03-05T00:00:00Z'))).toBe('3-7d');
    expect(periodOf(new Date('2026-03-01T17:00:00Z'), 'week', 'Asia/Shanghai')).toBe('2026-W10'); // Monday 2 March, 01:00 local
    expect(periodOf(new Date('2026-03-01T15:00:00Z'), 'week', 'Asia/Shanghai')).toBe('2026-W09');
    expect(periodOf(new Date('2026-01-01T00:00:00Z'), 'week', 'UTC')).toBe('2026-W01');
    expect(periodOf(new Date('2026-03-31T16:30:00Z'), 'month', 'Asia/Shanghai')).toBe('2026-04');
    expect(toCsv(['a', 'b'], [['x,y', null]])).toBe('a,b\r\n"x,y",\r\n');
  });
});
