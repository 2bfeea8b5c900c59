import { recordCounts, recordMove } from './maintenance-record';

describe('monthly maintenance record', () => {
  it('counts the month by kind, with remote sessions from both remote checks and remote resolutions', () => {
    expect(
      recordCounts({
        opened: [
          { severity: 'P1', caseType: 'incident' },
          { severity: 'P3', caseType: 'incident' },
          { severity: 'P3', caseType: 'complaint' },
        ],
        resolved: [{ onSite: true }, { onSite: false }],
        visitsCompleted: 1,
        inspections: [
          { kind: 'on-site', failed: 1 },
          { kind: 'remote', failed: 0 },
        ],
        inspectionsOverdue: 0,
        parts: [{ quantity: 2 }, { quantity: 1 }],
        stillOpen: 1,
      }),
    ).toEqual({
      casesOpened: 2,
      p1: 1,
      p2: 0,
      p3: 1,
      p4: 0,
      complaints: 1,
      casesResolved: 2,
      onSiteVisits: 1,
      remoteSessions: 2,
      inspectionsDone: 1,
      remoteChecksDone: 1,
      inspectionItemsFailed: 1,
      inspectionsOverdue: 0,
      partsUsed: 3,
      casesStillOpen: 1,
    });
  });

  it('is reviewed, then sent, then archived — in that order', () => {
    expect(recordMove('draft', 'review')).toEqual({ ok: true, to: 'reviewed' });
    expect(recordMove('draft', 'send')).toMatchObject({ ok: false, allowed: ['review'] });
    expect(recordMove('archived', 'archive')).toMatchObject({ ok: false, allowed: [] });
  });
});
