import { DEADLINE_KINDS, isOverdue, OVERDUE_ROLES } from './deadline-policy';
import { KNOWN_ROLES } from './sla-policy';

describe('task deadlines held by escalation', () => {
  it('fires an open deadline once its due time has come, never a met or already overdue one', () => {
    const dueAt = new Date('2027-01-13T01:00:00Z');
    expect(isOverdue({ state: 'open', dueAt }, new Date('2027-01-13T00:59:59Z'))).toBe(false);
    expect(isOverdue({ state: 'open', dueAt }, dueAt)).toBe(true);
    expect(isOverdue({ state: 'met', dueAt }, new Date('2027-02-01T00:00:00Z'))).toBe(false);
    expect(isOverdue({ state: 'overdue', dueAt }, new Date('2027-02-01T00:00:00Z'))).toBe(false);
    expect(isOverdue({ state: 'open', dueAt: null }, new Date('2027-02-01T00:00:00Z'))).toBe(false);
  });

  it('tells roles notify knows for every kind', () => {
    for (const kind of DEADLINE_KINDS) {
      expect(OVERDUE_ROLES[kind].length).toBeGreaterThan(0);
      for (const role of OVERDUE_ROLES[kind]) expect(KNOWN_ROLES.has(role)).toBe(true);
    }
  });
});
