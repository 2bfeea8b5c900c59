import { isScore, lowItems, mergeAnswers, missingItems } from './scores';

describe('survey scores', () => {
  it('accepts integers 1 to 5 only', () => {
    expect([1, 2, 3, 4, 5].every(isScore)).toBe(true);
    expect([0, 6, 2.5, '5', null, [5], undefined, NaN].some(isScore)).toBe(false);
  });

  it('finds the items below 3 in form order', () => {
    expect(lowItems({ outcome: 1, responseTime: 4, attitude: 2, technicalSkill: 3 })).toEqual(['attitude', 'outcome']);
    expect(lowItems({ responseTime: 3 })).toEqual([]);
  });

  it('merges a partial answer into what was saved and says what is still missing', () => {
    const saved = { scores: { responseTime: 4 }, smooth: true, comment: 'ok' };
    const merged = mergeAnswers(saved, { scores: { attitude: 2, responseTime: 5 }, comment: null });
    expect(merged).toEqual({ scores: { responseTime: 5, attitude: 2 }, smooth: true, comment: null });
    expect(missingItems(merged)).toEqual(['technicalSkill', 'outcome']);
  });
});
