import { isComplete, signBlocker, tally } from './inspection';

describe('inspection report', () => {
  it('is signed only once every item has a result', () => {
    expect(
      signBlocker([
        { itemId: 'a', result: 'pass' },
        { itemId: 'b', result: null },
      ]),
    ).toMatch(/1 without one \(b\)/);
    expect(signBlocker([{ itemId: 'a', result: 'fail' }])).toBeNull();
  });

  it('is complete with both signatures', () => {
    expect(isComplete(['engineer'])).toBe(false);
    expect(isComplete(['engineer', 'customer'])).toBe(true);
    expect(tally([{ result: 'pass' }, { result: 'fail' }, { result: 'not-applicable' }, { result: null }])).toEqual({
      items: 4,
      passed: 1,
      failed: 1,
      notApplicable: 1,
    });
  });
});
