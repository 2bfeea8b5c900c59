import { afterFailure } from './backoff';

const policy = { baseMs: 30_000, maxMs: 600_000, maxAttempts: 5 };
const now = new Date('2026-03-02T00:00:00Z');
const delay = (attempt: number, seed = 'x') => {
  const r = afterFailure(policy, attempt, now, { jitterSeed: seed });
  return r.dead ? 'dead' : r.retryAt.getTime() - now.getTime();
};

describe('retry backoff', () => {
  it('doubles from the base with at most 20 % jitter, capped, dead after the last attempt', () => {
    for (const [attempt, exp] of [
      [1, 30_000],
      [2, 60_000],
      [3, 120_000],
      [4, 240_000],
    ] as const) {
      const d = delay(attempt) as number;
      expect(d).toBeGreaterThanOrEqual(exp);
      expect(d).toBeLessThanOrEqual(Math.min(600_000, exp * 1.2));
    }
    expect(delay(5)).toBe('dead');
  });

  it('caps at the maximum', () => {
    expect(afterFailure({ ...policy, maxAttempts: 20 }, 12, now)).toEqual({ dead: false, retryAt: new Date(now.getTime() + 600_000) });
  });

  it('is stable per delivery and spread across deliveries', () => {
    expect(delay(2, 'a')).toBe(delay(2, 'a'));
    expect(new Set(['a', 'b', 'c', 'd', 'e'].map((s) => delay(2, s))).size).toBeGreaterThan(1);
  });

  it('gives up at once on a permanent failure', () => {
    expect(afterFailure(policy, 1, now, { permanent: true })).toEqual({ dead: true });
  });
});
