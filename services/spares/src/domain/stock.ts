/**
 * Stock of one part at one depot (domain §7), as four counters:
 * - onHand: good units physically in the depot (reserved ones included),
 * - reserved: of those, units held for part requests,
 * - inTransit: units on their way into the depot (purchase orders, transfers),
 * - defective: faulty units returned to the depot, awaiting repair, the vendor or the scrap bin.
 * Available = onHand − reserved. Every move is a delta on the counters; a delta that would break an
 * invariant is refused whole. The repository applies the same delta in one conditional UPDATE
 * (and the table repeats the invariants as CHECK constraints), so concurrent moves never oversell.
 */
export interface StockLevel {
  onHand: number;
  reserved: number;
  inTransit: number;
  defective: number;
  minLevel: number;
}

export type StockDelta = Partial<Record<'onHand' | 'reserved' | 'inTransit' | 'defective', number>>;

export type StockMove =
  | 'reserve'
  | 'release'
  | 'ship'
  | 'stock-in'
  | 'announce-inbound'
  | 'receive-inbound'
  | 'receive-defective'
  | 'repair-to-stock'
  | 'dispose-defective';

/** The counters each move changes, for `quantity` units (always > 0). */
export function deltaOf(move: StockMove, quantity: number): StockDelta {
  assertQuantity(quantity);
  switch (move) {
    case 'reserve':
      return { reserved: quantity };
    case 'release':
      return { reserved: -quantity };
    case 'ship': // reserved units leave the depot
      return { onHand: -quantity, reserved: -quantity };
    case 'stock-in':
      return { onHand: quantity };
    case 'announce-inbound':
      return { inTransit: quantity };
    case 'receive-inbound':
      return { inTransit: -quantity, onHand: quantity };
    case 'receive-defective':
      return { defective: quantity };
    case 'repair-to-stock':
      return { defective: -quantity, onHand: quantity };
    case 'dispose-defective': // to the vendor (RMA) or scrapped
      return { defective: -quantity };
  }
}

export function assertQuantity(quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < 1) throw new RangeError(`quantity must be a whole number of at least 1, got ${quantity}`);
}

export const available = (s: StockLevel): number => s.onHand - s.reserved;

/** The invariants a level must keep; each broken one named. */
export function violations(s: StockLevel): string[] {
  const out: string[] = [];
  if (s.onHand < 0) out.push(`on hand would be ${s.onHand}`);
  if (s.reserved < 0) out.push(`reserved would be ${s.reserved}`);
  if (s.reserved > s.onHand) out.push(`reserved (${s.reserved}) would exceed on hand (${s.onHand})`);
  if (s.inTransit < 0) out.push(`in transit would be ${s.inTransit}`);
  if (s.defective < 0) out.push(`defective would be ${s.defective}`);
  return out;
}

export type Applied = { ok: true; level: StockLevel } | { ok: false; reasons: string[] };

/** The level after a delta, or why it may not happen (the level is then unchanged). */
export function applyDelta(s: StockLevel, d: StockDelta): Applied {
  const next: StockLevel = {
    ...s,
    onHand: s.onHand + (d.onHand ?? 0),
    reserved: s.reserved + (d.reserved ?? 0),
    inTransit: s.inTransit + (d.inTransit ?? 0),
    defective: s.defective + (d.defective ?? 0),
  };
  const reasons = violations(next);
  return reasons.length ? { ok: false, reasons } : { ok: true, level: next };
}

/** The level before a delta that produced `after` (the repository gets the new row back). */
export function before(after: StockLevel, d: StockDelta): StockLevel {
  return {
    ...after,
    onHand: after.onHand - (d.onHand ?? 0),
    reserved: after.reserved - (d.reserved ?? 0),
    inTransit: after.inTransit - (d.inTransit ?? 0),
    defective: after.defective - (d.defective ?? 0),
  };
}

export const belowMinimum = (s: StockLevel): boolean => available(s) < s.minLevel;

/** A low-stock alert fires once, when a move takes the available stock from at-or-above the minimum to below it. */
export function crossedBelowMinimum(prev: StockLevel, next: StockLevel): boolean {
  return !belowMinimum(prev) && belowMinimum(next);
}
