import { Machine } from './lifecycle';

/** A signed contract's purchase plan: drafted, ordered (in transit), stocked in within the deadline (domain §7). */
export type PlanState = 'drafted' | 'ordered' | 'stocked-in';
export type PlanAction = 'add-lines' | 'order' | 'stock-in';

export const PLAN_MACHINE: Machine<PlanState, PlanAction> = {
  drafted: { 'add-lines': 'drafted', order: 'ordered', 'stock-in': 'stocked-in' },
  ordered: { 'stock-in': 'stocked-in' },
  'stocked-in': {},
};

export interface PlanLine {
  partNumber: string;
  quantity: number;
}

/**
 * One spare of each compatible part per installed unit: the contract's assets by model against
 * the catalog's compatible models. Parts that fit no asset are left out; lines by part number.
 */
export function draftLines(
  assetModels: readonly string[],
  parts: ReadonlyArray<{ partNumber: string; compatibleModels: readonly string[] }>,
): PlanLine[] {
  const units = new Map<string, number>();
  for (const m of assetModels) units.set(norm(m), (units.get(norm(m)) ?? 0) + 1);
  return parts
    .map((p) => ({ partNumber: p.partNumber, quantity: p.compatibleModels.reduce((n, m) => n + (units.get(norm(m)) ?? 0), 0) }))
    .filter((l) => l.quantity > 0)
    .sort((a, b) => a.partNumber.localeCompare(b.partNumber));
}

/** Adds lines to a plan: the same part's quantities add up. */
export function mergeLines(lines: readonly PlanLine[], more: readonly PlanLine[]): PlanLine[] {
  const by = new Map(lines.map((l) => [l.partNumber, l.quantity]));
  for (const l of more) by.set(l.partNumber, (by.get(l.partNumber) ?? 0) + l.quantity);
  return [...by].map(([partNumber, quantity]) => ({ partNumber, quantity })).sort((a, b) => a.partNumber.localeCompare(b.partNumber));
}

const norm = (model: string) => model.trim().toLowerCase();

export const PLAN_DAYS_DEFAULT = 7;

export function planDueAt(signedAt: Date, days: number): Date {
  return new Date(signedAt.getTime() + days * 86_400_000);
}
