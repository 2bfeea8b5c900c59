import { ReportRow, summarize, summarizeBy, toCsv, weekTrend } from './report';

const row = (over: Partial<ReportRow>): ReportRow => ({
  week: '2026-W49',
  region: 'north',
  ownerId: 'liu',
  ownerName: 'Liu',
  status: 'answered',
  scores: { responseTime: 5, technicalSkill: 4, attitude: 5, outcome: 4 },
  smooth: true,
  ...over,
});

describe('survey report arithmetic', () => {
  it('counts response rate, averages and distributions of final answers only', () => {
    const s = summarize([
      row({}),
      row({ scores: { responseTime: 3, technicalSkill: 4, attitude: 2, outcome: 4 }, smooth: false }),
      row({ status: 'partial', scores: { responseTime: 1 } }),
      row({ status: 'sent', scores: {} }),
    ]);
    expect(s).toMatchObject({ sent: 4, answered: 2, partial: 1, responseRate: 0.5, lowScore: 1, smooth: { yes: 1, no: 1, unanswered: 0 } });
    expect(s.items.responseTime).toEqual({ answered: 2, average: 4, distribution: { '1': 0, '2': 0, '3': 1, '4': 0, '5': 1 } });
    expect(s.items.attitude.average).toBe(3.5);
    expect(s.average).toBe(3.88); // 31 / 8
  });

  it('reports nothing sent as zero, not as a division by zero', () => {
    expect(summarize([])).toMatchObject({ sent: 0, responseRate: 0, average: null });
  });

  it('groups by engineer and compares each week with the one before', () => {
    const rows = [
      row({ ownerId: 'ma' }),
      row({}),
      row({ week: '2026-W50', scores: { responseTime: 3, technicalSkill: 3, attitude: 3, outcome: 3 } }),
    ];
    expect(summarizeBy(rows, (r) => r.ownerId ?? '').map((g) => [g.key, g.summary.answered])).toEqual([
      ['liu', 2],
      ['ma', 1],
    ]);
    const t = weekTrend(['2026-W48', '2026-W49', '2026-W50'], rows);
    expect(t.map((w) => w.summary.sent)).toEqual([0, 2, 1]);
    expect(t[1]?.averageChange).toBeNull();
    expect(t[2]?.averageChange).toBe(-1.5);
    expect(t[2]?.itemChange.responseTime).toBe(-2);
  });

  it('writes CSV with quoting and without formulas', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', '=1+1'],
          [null, 'say "hi"'],
        ],
      ),
    ).toBe('a,b\r\n"x,y",\'=1+1\r\n,"say ""hi"""\r\n');
  });
});
