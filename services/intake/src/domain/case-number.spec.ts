import { caseNumberInSubject } from './case-number';

describe('caseNumberInSubject', () => {
  it.each([
    ['Re: [NORTH-2026-000123] storage offline', 'NORTH-2026-000123'],
    ['RE: Case NORTH-2026-000123 update', 'NORTH-2026-000123'],
    ['Fwd: case #north-2026-000007', 'NORTH-2026-000007'],
    ['Case: NORTH-EAST-2026-000042 logs attached', 'NORTH-EAST-2026-000042'],
    ['答复: [SOUTH-2025-123456] 日志', 'SOUTH-2025-123456'],
  ])('finds the case in %j', (subject, expected) => {
    expect(caseNumberInSubject(subject)).toBe(expected);
  });

  it.each([
    'storage array offline',
    'order NORTH-2026-000123 shipped',
    'Case NORTH-2026-0001234',
    '[NORTH-26-000123]',
    'showcase NORTH-2026-000123',
    '',
  ])('does not take %j for a reply', (subject) => {
    expect(caseNumberInSubject(subject)).toBeNull();
  });
});
