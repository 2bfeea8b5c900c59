import { periodMinutes, periodProblems } from './downtime';

const at = (h: number) => new Date(Date.UTC(2026, 2, 2, h));

describe('declared downtime periods', () => {
  const now = at(23);

  it('accepts ordered, separate periods in the past and adds them up', () => {
    const periods = [
      { from: at(1), to: at(3) },
      { from: at(5), to: at(6) },
    ];
    expect(periodProblems(periods, now)).toEqual([]);
    expect(periodMinutes(periods)).toBe(180);
  });

  it('names a period that ends before it starts, or in the future', () => {
    expect(periodProblems([{ from: at(3), to: at(2) }], now)).toEqual([
      { field: 'periods[0].to', reason: 'a downtime ends after it starts' },
    ]);
    expect(periodProblems([{ from: at(3), to: at(3) }], now)[0]?.field).toBe('periods[0].to');
    expect(periodProblems([{ from: at(22), to: new Date(now.getTime() + 1) }], now)[0]?.reason).toMatch(/future/);
  });

  it('names the later of two overlapping periods, whatever order they came in', () => {
    const problems = periodProblems(
      [
        { from: at(5), to: at(8) },
        { from: at(1), to: at(6) },
      ],
      now,
    );
    expect(problems).toEqual([{ field: 'periods[0]', reason: 'overlaps periods[1]: each stoppage is declared once' }]);
    // touching is not overlapping
    expect(
      periodProblems(
        [
          { from: at(1), to: at(2) },
          { from: at(2), to: at(3) },
        ],
        now,
      ),
    ).toEqual([]);
  });
});
