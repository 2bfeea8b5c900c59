import { downtimeMs, extendWarranty, totalDowntimeMs, warrantyExtensionDays } from './warranty-extension';

const H = 3_600_000;

describe('warrantyExtensionDays (seed 003: 按停运天数（按24小时计算）相应延长)', () => {
  it.each([
    [0, 0],
    [-5, 0],
    [1, 1], // any started 24-hour period counts as a day
    [1 * H, 1],
    [23 * H + 59 * 60_000, 1],
    [24 * H, 1],
    [24 * H + 1, 2],
    [47 * H, 2],
    [48 * H, 2],
    [72 * H + 30 * 60_000, 4],
  ])('%d ms of downtime → %d day(s) (ceil)', (ms, days) => {
    expect(warrantyExtensionDays(ms)).toBe(days);
  });

  it.each([
    [23 * H, 0],
    [24 * H, 1],
    [47 * H, 1],
    [48 * H, 2],
  ])('%d ms → %d day(s) when a contract counts whole 24-hour periods only (floor)', (ms, days) => {
    expect(warrantyExtensionDays(ms, 'floor')).toBe(days);
  });

  it('rejects non-finite downtime', () => {
    expect(() => warrantyExtensionDays(Number.NaN)).toThrow(RangeError);
  });
});

describe('totalDowntimeMs', () => {
  it('adds stoppages, counting overlaps once, then rounds once', () => {
    const d = (s: string) => new Date(s);
    const total = totalDowntimeMs([
      { from: d('2026-03-01T08:00:00Z'), to: d('2026-03-01T16:00:00Z') },
      { from: d('2026-03-01T12:00:00Z'), to: d('2026-03-01T20:00:00Z') }, // overlaps the first by 4 h
      { from: d('2026-03-05T00:00:00Z'), to: d('2026-03-05T08:00:00Z') },
    ]);
    expect(total).toBe(20 * H);
    expect(warrantyExtensionDays(total)).toBe(1);
    expect(totalDowntimeMs([])).toBe(0);
    expect(() => totalDowntimeMs([{ from: d('2026-03-02T00:00:00Z'), to: d('2026-03-01T00:00:00Z') }])).toThrow(RangeError);
  });
});

describe('extendWarranty', () => {
  it.each([
    ['2026-12-31', 0, '2026-12-31'],
    ['2026-12-31', 3, '2027-01-03'],
    ['2028-02-27', 3, '2028-03-01'], // leap year
    ['2027-02-27', 3, '2027-03-02'],
  ])('%s + %d days = %s', (end, days, expected) => {
    expect(extendWarranty(end, days)).toBe(expected);
  });

  it('rejects invalid input', () => {
    expect(() => extendWarranty('2026-02-30', 1)).toThrow(RangeError);
    expect(() => extendWarranty('2026-02-01', 1.5)).toThrow(RangeError);
    expect(() => extendWarranty('2026-02-01', -1)).toThrow(RangeError);
  });

  it('extends by the rounded downtime', () => {
    expect(extendWarranty('2026-06-30', warrantyExtensionDays(30 * H))).toBe('2026-07-02');
  });
});

describe('downtimeMs: wall time from the report to the resolution minus the waits on the customer', () => {
  const t0 = new Date('2026-03-02T00:00:00Z');
  const at = (h: number) => new Date(t0.getTime() + h * H);

  it('subtracts the waits within the stoppage (overlaps once, an open wait runs to the end, outside ones not at all)', () => {
    expect(downtimeMs(t0, at(26), [])).toBe(26 * H);
    expect(
      downtimeMs(t0, at(26), [
        { from: at(1), to: at(5) },
        { from: at(4), to: at(6) }, // overlaps the first
        { from: at(-3), to: at(0.5) }, // before the report: only its last half hour counts
        { from: at(25), to: null }, // still open at the resolution
        { from: at(30), to: at(31) }, // after it
      ]),
    ).toBe(26 * H - 5 * H - 0.5 * H - 1 * H);
  });

  it('is 0 for an empty or inverted stoppage and never negative', () => {
    expect(downtimeMs(t0, t0, [])).toBe(0);
    expect(downtimeMs(at(2), t0, [])).toBe(0);
    expect(downtimeMs(t0, at(1), [{ from: t0, to: at(3) }])).toBe(0);
  });
});
