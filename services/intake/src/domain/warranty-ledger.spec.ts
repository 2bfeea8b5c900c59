import { baseEnd, caseExtension, daysFor, extendedEnd } from './warranty-ledger';

describe('warranty ledger rules (seed 003)', () => {
  it('counts 24-hour days, a started day whole', () => {
    expect(daysFor(48 * 60)).toBe(2);
    expect(daysFor(48 * 60 + 1)).toBe(3);
    expect(daysFor(30)).toBe(1);
    expect(daysFor(0)).toBe(0);
  });

  it('extends only for supplier-caused downtime, summed over episodes and rounded once', () => {
    expect(caseExtension({ cause: 'supplier', measuredMinutes: [8 * 60, 8 * 60, 8 * 60], declaredMinutes: null })).toMatchObject({
      minutes: 1440,
      days: 1,
      counted: true,
      source: 'measured',
    });
    expect(caseExtension({ cause: 'customer', measuredMinutes: [2880], declaredMinutes: null })).toMatchObject({ days: 0, counted: false });
    expect(caseExtension({ cause: 'force-majeure', measuredMinutes: [2880], declaredMinutes: null }).note).toBe(
      'force-majeure-caused: not counted',
    );
    expect(caseExtension({ cause: null, measuredMinutes: [2880], declaredMinutes: null }).note).toMatch(/not classified/);
  });

  it('takes declared periods over the measured downtime', () => {
    expect(caseExtension({ cause: 'supplier', measuredMinutes: [60], declaredMinutes: 3 * 1440 })).toMatchObject({
      minutes: 4320,
      days: 3,
      source: 'declared',
    });
  });

  it('recomputes from the base, and takes an end edited since as the new base', () => {
    expect(extendedEnd('2026-12-31', [{ days: 2 }, { days: 1 }])).toBe('2027-01-03');
    expect(baseEnd('2027-01-02', { baseEndsOn: '2026-12-31', appliedEndsOn: '2027-01-02' })).toBe('2026-12-31');
    expect(baseEnd('2027-06-30', { baseEndsOn: '2026-12-31', appliedEndsOn: '2027-01-02' })).toBe('2027-06-30');
    expect(baseEnd('2026-12-31', null)).toBe('2026-12-31');
  });
});
