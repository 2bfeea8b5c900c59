import { allowedActions, checkMove, Machine, MoveCheck } from './lifecycle';

/**
 * Carry-in / mail-in repair (送修 / 寄修): the unit is received, diagnosed, quoted when out of
 * warranty (the customer accepts or declines), repaired, and shipped back. In-warranty repairs
 * are free: no quote.
 */
export type RepairState = 'received' | 'diagnosed' | 'quoted' | 'accepted' | 'declined' | 'repaired' | 'returned';
export type RepairAction = 'diagnose' | 'quote' | 'accept' | 'decline' | 'repair' | 'ship-back';

const MACHINE: Machine<RepairState, RepairAction> = {
  received: { diagnose: 'diagnosed' },
  diagnosed: { quote: 'quoted', repair: 'repaired' },
  quoted: { accept: 'accepted', decline: 'declined' },
  accepted: { repair: 'repaired' },
  declined: { 'ship-back': 'returned' }, // back unrepaired
  repaired: { 'ship-back': 'returned' },
  returned: {},
};

/** A diagnosed unit in warranty goes straight to repair; out of warranty it needs an accepted quote first. */
function machineFor(inWarranty: boolean): Machine<RepairState, RepairAction> {
  return { ...MACHINE, diagnosed: inWarranty ? { repair: 'repaired' } : { quote: 'quoted' } };
}

export function repairAllowed(state: RepairState, inWarranty: boolean): RepairAction[] {
  return allowedActions(machineFor(inWarranty), state);
}

export function checkRepairMove(state: RepairState, inWarranty: boolean, action: RepairAction): MoveCheck<RepairState, RepairAction> {
  const check = checkMove(machineFor(inWarranty), 'repair order', state, action);
  if (!check.ok && action === 'quote' && inWarranty) {
    return { ...check, reason: `the unit is in warranty: its repair is free, no quote (allowed: ${check.allowed.join(', ') || 'none'})` };
  }
  if (!check.ok && action === 'repair' && !inWarranty && state === 'diagnosed') {
    return {
      ...check,
      reason: `the unit is out of warranty: the customer must accept a quote before the repair (allowed: ${check.allowed.join(', ')})`,
    };
  }
  return check;
}

/**
 * Seed 004: out of warranty, a repair costs a share (default 12 %) of the part's contract price.
 * Money as decimal strings with two places, computed in cents (half up) so nothing is lost to floats.
 */
export function quoteAmount(contractPrice: string, percent: number): string {
  const cents = toCents(contractPrice);
  const amount = Math.round((cents * Math.round(percent * 100)) / 10_000);
  return fromCents(amount);
}

export function toCents(money: string): number {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(money.trim());
  if (!m) throw new RangeError(`not an amount of money: ${money}`);
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export function fromCents(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** In warranty on `today` (YYYY-MM-DD) when the warranty ends on or after it. */
export function inWarrantyOn(warrantyEndsOn: string, today: string): boolean {
  return warrantyEndsOn >= today;
}
