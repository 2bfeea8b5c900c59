import { draftLines, mergeLines, planDueAt } from './purchase-plan';
import { lateMinutes, neededBy, parseNeededByHours } from './needed-by';

describe('purchase plan drafting', () => {
  it('plans one spare of each compatible part per installed unit', () => {
    const parts = [
      { partNumber: 'PSU-750', compatibleModels: ['OceanStor 5500', 'OceanStor 2200'] },
      { partNumber: 'HDD-4T', compatibleModels: ['oceanstor 5500'] },
      { partNumber: 'FAN-1', compatibleModels: ['Other'] },
    ];
    expect(draftLines(['OceanStor 5500', 'OceanStor 5500', 'OceanStor 2200'], parts)).toEqual([
      { partNumber: 'HDD-4T', quantity: 2 },
      { partNumber: 'PSU-750', quantity: 3 },
    ]);
    expect(draftLines([], parts)).toEqual([]);
    expect(
      mergeLines(
        [{ partNumber: 'B', quantity: 1 }],
        [
          { partNumber: 'A', quantity: 2 },
          { partNumber: 'B', quantity: 2 },
        ],
      ),
    ).toEqual([
      { partNumber: 'A', quantity: 2 },
      { partNumber: 'B', quantity: 3 },
    ]);
  });

  it('is due a week after signing', () => {
    expect(planDueAt(new Date('2026-03-01T09:00:00Z'), 7).toISOString()).toBe('2026-03-08T09:00:00.000Z');
  });
});

describe('needed-by', () => {
  it('derives from the severity unless given', () => {
    const hours = parseNeededByHours('P1=4, P2=24');
    const at = new Date('2026-03-01T09:00:00Z');
    expect(neededBy('P1', at, hours).toISOString()).toBe('2026-03-01T13:00:00.000Z');
    expect(neededBy('P4', at, hours).toISOString()).toBe('2026-03-06T09:00:00.000Z');
    const given = new Date('2026-03-02T00:00:00Z');
    expect(neededBy('P1', at, hours, given)).toBe(given);
    expect(() => parseNeededByHours('P5=3')).toThrow('"P5=3"');
    expect(() => parseNeededByHours('P1=0')).toThrow();
  });

  it('counts whole late minutes', () => {
    const due = new Date('2026-03-01T13:00:00Z');
    expect(lateMinutes(due, new Date('2026-03-01T12:00:00Z'))).toBe(0);
    expect(lateMinutes(due, new Date('2026-03-01T14:00:30Z'))).toBe(61);
  });
});
