import { checkRepairMove, inWarrantyOn, quoteAmount, repairAllowed } from './repair-order';

describe('repair orders', () => {
  it('quotes 12 % of the contract price in cents, half up', () => {
    expect(quoteAmount('2500.00', 12)).toBe('300.00');
    expect(quoteAmount('99.99', 12)).toBe('12.00'); // 11.9988
    expect(quoteAmount('1234.5', 12.5)).toBe('154.31'); // 154.3125
    expect(quoteAmount('0', 12)).toBe('0.00');
  });

  it('goes to repair at once in warranty, and through an accepted quote out of it', () => {
    expect(repairAllowed('diagnosed', true)).toEqual(['repair']);
    expect(repairAllowed('diagnosed', false)).toEqual(['quote']);
    expect(checkRepairMove('diagnosed', true, 'quote')).toMatchObject({ ok: false, allowed: ['repair'] });
    expect(checkRepairMove('diagnosed', true, 'quote')).toMatchObject({ reason: expect.stringContaining('in warranty') });
    expect(checkRepairMove('diagnosed', false, 'repair')).toMatchObject({ ok: false, allowed: ['quote'] });
    expect(checkRepairMove('quoted', false, 'accept')).toEqual({ ok: true, to: 'accepted' });
    expect(checkRepairMove('declined', false, 'ship-back')).toEqual({ ok: true, to: 'returned' });
    expect(checkRepairMove('received', false, 'ship-back')).toMatchObject({ ok: false, allowed: ['diagnose'] });
  });

  it('is in warranty through the last day of the warranty', () => {
    expect(inWarrantyOn('2026-03-01', '2026-03-01')).toBe(true);
    expect(inWarrantyOn('2026-02-28', '2026-03-01')).toBe(false);
  });
});
