import { formatLocalInstant } from './local-time';

describe('formatLocalInstant', () => {
  it('shows the wall clock of the zone with its offset, across DST and half-hour zones', () => {
    expect(formatLocalInstant(new Date('2026-05-04T01:00:00Z'), 'Asia/Shanghai')).toBe('2026-05-04T09:00:00+08:00');
    expect(formatLocalInstant(new Date('2026-03-29T00:59:59Z'), 'Europe/Berlin')).toBe('2026-03-29T01:59:59+01:00');
    expect(formatLocalInstant(new Date('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toBe('2026-03-29T03:00:00+02:00');
    expect(formatLocalInstant(new Date('2026-01-01T00:00:00Z'), 'America/St_Johns')).toBe('2025-12-31T20:30:00-03:30');
    expect(formatLocalInstant(new Date('2026-01-01T00:00:00Z'), 'UTC')).toBe('2026-01-01T00:00:00+00:00');
  });
});
