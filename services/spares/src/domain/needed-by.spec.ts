import { DEFAULT_NEEDED_BY_HOURS, partNeededBy } from './needed-by';

describe('needed-by of a case’s part', () => {
  const requestedAt = new Date('2026-03-02T01:00:00Z');
  const base = { severity: 'P1', requestedAt, hours: DEFAULT_NEEDED_BY_HOURS };

  it('follows the deadline the case’s SLA policy set, over the severity table', () => {
    const policy = new Date('2026-03-02T03:00:00Z');
    expect(partNeededBy({ ...base, policy })).toEqual(policy);
  });

  it('takes the engineer’s date first, and the table without a policy or with one already past', () => {
    const given = new Date('2026-03-03T00:00:00Z');
    expect(partNeededBy({ ...base, given, policy: new Date('2026-03-02T03:00:00Z') })).toEqual(given);
    expect(partNeededBy({ ...base, policy: null })).toEqual(new Date('2026-03-02T05:00:00Z'));
    expect(partNeededBy({ ...base, policy: new Date('2026-03-02T00:30:00Z') })).toEqual(new Date('2026-03-02T05:00:00Z'));
  });
});
