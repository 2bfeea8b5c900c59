import { applyDelta, available, before, belowMinimum, crossedBelowMinimum, deltaOf, StockLevel, violations } from './stock';

const level = (over: Partial<StockLevel> = {}): StockLevel => ({
  onHand: 5,
  reserved: 0,
  inTransit: 0,
  defective: 0,
  minLevel: 2,
  ...over,
});

describe('stock arithmetic', () => {
  it('reserves only what is available and never more', () => {
    const r = applyDelta(level({ reserved: 3 }), deltaOf('reserve', 2));
    expect(r).toEqual({ ok: true, level: level({ reserved: 5 }) });
    const over = applyDelta(level({ reserved: 3 }), deltaOf('reserve', 3));
    expect(over).toEqual({ ok: false, reasons: ['reserved (6) would exceed on hand (5)'] });
  });

  it('ships reserved units out of the depot; cannot ship what is not reserved', () => {
    expect(applyDelta(level({ reserved: 2 }), deltaOf('ship', 2))).toEqual({ ok: true, level: level({ onHand: 3, reserved: 0 }) });
    const r = applyDelta(level({ reserved: 1 }), deltaOf('ship', 2));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reasons).toEqual(['reserved would be -1']);
  });

  it('moves inbound into stock, defective back to stock or out', () => {
    expect(applyDelta(level({ inTransit: 4 }), deltaOf('receive-inbound', 4))).toEqual({
      ok: true,
      level: level({ onHand: 9, inTransit: 0 }),
    });
    expect(applyDelta(level({ defective: 1 }), deltaOf('repair-to-stock', 1))).toEqual({
      ok: true,
      level: level({ onHand: 6, defective: 0 }),
    });
    expect(applyDelta(level(), deltaOf('dispose-defective', 1)).ok).toBe(false);
    expect(applyDelta(level(), deltaOf('release', 1)).ok).toBe(false);
  });

  it('refuses zero, negative and fractional quantities', () => {
    for (const q of [0, -1, 1.5, NaN]) expect(() => deltaOf('reserve', q)).toThrow(RangeError);
  });

  it('names every broken invariant', () => {
    expect(violations({ onHand: -1, reserved: -1, inTransit: -1, defective: -1, minLevel: 0 })).toHaveLength(4);
    expect(violations(level())).toEqual([]);
  });

  it('recovers the level before a delta from the level after it', () => {
    const d = deltaOf('ship', 2);
    const after = level({ onHand: 3 });
    expect(before(after, d)).toEqual(level({ onHand: 5, reserved: 2 }));
  });

  it('alerts once, when the available stock crosses below the minimum', () => {
    const a = level({ reserved: 3 }); // available 2 = minimum: not below
    expect(available(a)).toBe(2);
    expect(belowMinimum(a)).toBe(false);
    const b = level({ reserved: 4 });
    expect(crossedBelowMinimum(a, b)).toBe(true);
    expect(crossedBelowMinimum(b, level({ reserved: 5 }))).toBe(false); // already below
    expect(crossedBelowMinimum(b, a)).toBe(false); // back up
  });
});
