import { allowedActions, checkMove, MoveCheck } from './lifecycle';
import { REQUEST_MACHINE, RequestAction, RequestState, withinDoaWindow } from './part-request';
import { isOverdue, RETURN_MACHINE, returnDueAt } from './returns';
import { PLAN_MACHINE } from './purchase-plan';

describe('part request lifecycle', () => {
  it('goes reserved → picked → shipped → delivered → installed and nothing out of order', () => {
    let s: RequestState = 'reserved';
    for (const a of ['pick', 'ship', 'deliver', 'install'] as const) {
      const c: MoveCheck<RequestState, RequestAction> = checkMove(REQUEST_MACHINE, 'part request', s, a);
      expect(c.ok).toBe(true);
      if (c.ok) s = c.to;
    }
    expect(s).toBe('installed');
    expect(checkMove(REQUEST_MACHINE, 'part request', 'reserved', 'install')).toEqual({
      ok: false,
      reason: 'a reserved part request cannot install; allowed: pick, cancel',
      allowed: ['pick', 'cancel'],
    });
    expect(checkMove(REQUEST_MACHINE, 'part request', 'cancelled', 'pick')).toMatchObject({ ok: false, allowed: [] });
  });

  it('needs approval before a cross-region hold becomes a reservation', () => {
    expect(allowedActions(REQUEST_MACHINE, 'awaiting-approval')).toEqual(['approve', 'reject', 'cancel']);
    expect(checkMove(REQUEST_MACHINE, 'part request', 'awaiting-approval', 'pick').ok).toBe(false);
  });

  it('exchanges a dead-on-arrival part only within its window from delivery', () => {
    const delivered = new Date('2026-03-01T10:00:00Z');
    expect(withinDoaWindow(delivered, new Date('2026-03-08T10:00:00Z'), 7)).toBe(true);
    expect(withinDoaWindow(delivered, new Date('2026-03-08T10:00:01Z'), 7)).toBe(false);
  });
});

describe('defective returns', () => {
  it('are received, then repaired, sent to the vendor or scrapped', () => {
    expect(allowedActions(RETURN_MACHINE, 'expected')).toEqual(['receive']);
    expect(allowedActions(RETURN_MACHINE, 'received')).toEqual(['repair', 'send-to-vendor', 'scrap']);
    expect(checkMove(RETURN_MACHINE, 'return', 'expected', 'repair').ok).toBe(false);
  });

  it('are overdue only while still expected after their due time', () => {
    const due = returnDueAt(new Date('2026-03-01T00:00:00Z'), 10);
    expect(due.toISOString()).toBe('2026-03-11T00:00:00.000Z');
    expect(isOverdue('expected', due, new Date('2026-03-11T00:00:01Z'))).toBe(true);
    expect(isOverdue('expected', due, due)).toBe(false);
    expect(isOverdue('received', due, new Date('2026-04-01T00:00:00Z'))).toBe(false);
  });
});

describe('purchase plan lifecycle', () => {
  it('is drafted, ordered and stocked in, once', () => {
    expect(allowedActions(PLAN_MACHINE, 'drafted')).toEqual(['add-lines', 'order', 'stock-in']);
    expect(checkMove(PLAN_MACHINE, 'purchase plan', 'stocked-in', 'stock-in')).toMatchObject({ ok: false, allowed: [] });
  });
});
