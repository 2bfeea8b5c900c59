/**
 * An inspection work order's report (巡检报告): every checklist item gets a result before anyone
 * signs, and the report is signed — the work order done — when both the customer and the engineer
 * have signed, like a customer service report.
 */

export type ItemResult = 'pass' | 'fail' | 'not-applicable';
export type Party = 'customer' | 'engineer';
export const PARTIES: readonly Party[] = ['customer', 'engineer'];

/** Why the report cannot be signed yet, or null. */
export function signBlocker(items: ReadonlyArray<{ itemId: string; result: ItemResult | null }>): string | null {
  const open = items.filter((i) => !i.result).map((i) => i.itemId);
  if (!open.length) return null;
  const shown = open.slice(0, 5).join(', ');
  return `record a result for every checklist item first: ${open.length} without one (${shown}${open.length > 5 ? ', …' : ''})`;
}

export function isComplete(signed: readonly Party[]): boolean {
  return PARTIES.every((p) => signed.includes(p));
}

export function tally(items: ReadonlyArray<{ result: ItemResult | null }>) {
  return {
    items: items.length,
    passed: items.filter((i) => i.result === 'pass').length,
    failed: items.filter((i) => i.result === 'fail').length,
    notApplicable: items.filter((i) => i.result === 'not-applicable').length,
  };
}
