import { CaseStatus } from '@aftersales/contracts';
import { ActorRole, ALL_STATUSES, actingRole, allowedNext, checkTransition, statusPatch, TRANSITIONS } from './case-lifecycle';

// The lifecycle written out by hand (domain §5), independent of how the table is built.
const work = ['in-progress', 'on-site', 'escalated', 'vendor-case-open'];
const waits = ['waiting-customer', 'waiting-parts', 'waiting-vendor'];
const others = (self: string, list: string[]) => list.filter((s) => s !== self);
const EXPECTED: Record<CaseStatus, string[]> = {
  received: ['triaged', 'closed'],
  triaged: ['assigned', 'closed'],
  // 'closed' from an open case: only the service itself, when the customer declines a paid repair's quote
  assigned: [...work, ...waits, 'closed'],
  'in-progress': [...others('in-progress', work), ...waits, 'resolved', 'closed'],
  'on-site': [...others('on-site', work), ...waits, 'resolved', 'closed'],
  escalated: [...others('escalated', work), ...waits, 'resolved', 'closed'],
  'vendor-case-open': [...others('vendor-case-open', work), ...waits, 'resolved', 'closed'],
  'waiting-customer': [...work, ...others('waiting-customer', waits), 'resolved', 'closed'],
  'waiting-parts': [...work, ...others('waiting-parts', waits), 'resolved', 'closed'],
  'waiting-vendor': [...work, ...others('waiting-vendor', waits), 'resolved', 'closed'],
  resolved: ['confirmed', 'closed', 'reopened'],
  confirmed: ['closed', 'reopened'],
  closed: ['reopened'],
  reopened: ['assigned', ...work, 'closed'],
};
const ROLES: ActorRole[] = ['agent', 'engineer', 'manager', 'customer', 'admin', 'system'];

describe('case lifecycle table', () => {
  it.each(ALL_STATUSES.map((s) => [s]))('from %s reaches exactly the documented statuses', (from) => {
    expect([...allowedNext(from)].sort()).toEqual([...EXPECTED[from]].sort());
  });

  it('rejects every pair not in the table, for every role, and lists what is allowed instead', () => {
    let illegal = 0;
    for (const from of ALL_STATUSES)
      for (const to of ALL_STATUSES) {
        if (EXPECTED[from].includes(to)) continue;
        for (const role of ROLES) {
          const c = checkTransition(from, to, role, 'because');
          expect(c).toEqual({
            ok: false,
            kind: 'illegal',
            reason: `a ${from} case cannot move to ${to}`,
            allowed: allowedNext(from, role),
          });
        }
        illegal++;
      }
    // 14 × 14 pairs, of which the legal ones are in the table
    expect(illegal + TRANSITIONS.length).toBe(14 * 14);
  });

  it('never lets a case stay where it is (a "transition" to the same status is illegal)', () => {
    for (const s of ALL_STATUSES) expect(checkTransition(s, s, 'admin', 'x')).toMatchObject({ ok: false, kind: 'illegal' });
  });

  it('lets a customer only confirm a resolved case or reopen it', () => {
    const customerMoves = TRANSITIONS.filter((r) => r.roles.includes('customer')).map((r) => `${r.from}→${r.to}`);
    expect(customerMoves.sort()).toEqual(['closed→reopened', 'confirmed→reopened', 'resolved→confirmed', 'resolved→reopened']);
    expect(checkTransition('in-progress', 'resolved', 'customer')).toMatchObject({ ok: false, kind: 'forbidden', allowed: [] });
    expect(checkTransition('resolved', 'closed', 'customer', 'done')).toMatchObject({
      ok: false,
      kind: 'forbidden',
      allowed: ['confirmed', 'reopened'],
    });
    expect(checkTransition('resolved', 'confirmed', 'customer')).toMatchObject({ ok: true });
  });

  it('keeps the engineer out of desk moves: confirming for the customer, reopening, closing an unconfirmed case', () => {
    expect(checkTransition('resolved', 'confirmed', 'engineer')).toMatchObject({ ok: false, kind: 'forbidden' });
    expect(checkTransition('closed', 'reopened', 'engineer', 'back')).toMatchObject({ ok: false, kind: 'forbidden' });
    expect(checkTransition('resolved', 'closed', 'engineer', 'x')).toMatchObject({ ok: false, kind: 'forbidden' });
    expect(checkTransition('confirmed', 'closed', 'engineer')).toMatchObject({ ok: true });
  });

  it.each([
    ['in-progress', 'waiting-customer'],
    ['on-site', 'waiting-parts'],
    ['vendor-case-open', 'waiting-vendor'],
    ['in-progress', 'escalated'],
    ['closed', 'reopened'],
    ['resolved', 'reopened'],
    ['resolved', 'closed'],
    ['triaged', 'closed'],
  ] as Array<[CaseStatus, CaseStatus]>)('%s → %s needs a reason', (from, to) => {
    expect(checkTransition(from, to, 'manager')).toMatchObject({ ok: false, kind: 'reason-required' });
    expect(checkTransition(from, to, 'manager', '   ')).toMatchObject({ ok: false, kind: 'reason-required' });
    expect(checkTransition(from, to, 'manager', 'customer away until Monday')).toMatchObject({ ok: true });
  });

  it('resumes from every pause to remote, on-site or vendor work without a reason (escalating still says why)', () => {
    for (const w of waits as CaseStatus[]) {
      for (const to of ['in-progress', 'on-site', 'vendor-case-open'] as CaseStatus[]) {
        expect(checkTransition(w, to, 'engineer')).toMatchObject({ ok: true });
      }
      expect(checkTransition(w, 'escalated', 'engineer')).toMatchObject({ ok: false, kind: 'reason-required' });
    }
  });

  it('lets only the service close an open case early, and only with a reason (a declined repair quote)', () => {
    expect(checkTransition('in-progress', 'closed', 'system', 'repair quote declined: too dear')).toMatchObject({ ok: true });
    expect(checkTransition('in-progress', 'closed', 'system')).toMatchObject({ ok: false, kind: 'reason-required' });
    for (const role of ['agent', 'engineer', 'manager', 'admin'] as ActorRole[]) {
      expect(checkTransition('waiting-customer', 'closed', role, 'x')).toMatchObject({ ok: false, kind: 'forbidden' });
    }
  });

  it('acts as the broadest role a principal holds', () => {
    expect(actingRole(['engineer', 'manager'])).toBe('manager');
    expect(actingRole(['customer'])).toBe('customer');
    expect(() => actingRole([])).toThrow();
  });

  it('stamps the status entered; a reopen starts the next episode, unresolved and undiagnosed', () => {
    const at = new Date('2026-03-02T08:00:00Z');
    expect(statusPatch({ reopenCount: 0 }, 'resolved', at)).toEqual({ status: 'resolved', statusChangedAt: at, resolvedAt: at });
    expect(statusPatch({ reopenCount: 0 }, 'in-progress', at)).toEqual({ status: 'in-progress', statusChangedAt: at });
    expect(statusPatch({ reopenCount: 1 }, 'reopened', at)).toEqual({
      status: 'reopened',
      statusChangedAt: at,
      reopenedAt: at,
      reopenCount: 2,
      resolvedAt: null,
      confirmedAt: null,
      closedAt: null,
      diagnosedAt: null,
    });
  });
});
