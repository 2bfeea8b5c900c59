import { Machine } from './lifecycle';

/** The replaced faulty part (or a DOA unit) on its way back, and what becomes of it. */
export type ReturnState = 'expected' | 'received' | 'repaired' | 'sent-to-vendor' | 'scrapped';
export type ReturnAction = 'receive' | 'repair' | 'send-to-vendor' | 'scrap';
export type Disposition = 'repaired' | 'sent-to-vendor' | 'scrapped';

export const RETURN_MACHINE: Machine<ReturnState, ReturnAction> = {
  expected: { receive: 'received' },
  received: { repair: 'repaired', 'send-to-vendor': 'sent-to-vendor', scrap: 'scrapped' },
  repaired: {},
  'sent-to-vendor': {},
  scrapped: {},
};

export const DISPOSITION_ACTION: Record<Disposition, ReturnAction> = {
  repaired: 'repair',
  'sent-to-vendor': 'send-to-vendor',
  scrapped: 'scrap',
};

const DAY_MS = 86_400_000;

export function returnDueAt(from: Date, days: number): Date {
  return new Date(from.getTime() + days * DAY_MS);
}

export function isOverdue(state: ReturnState, dueAt: Date, now: Date): boolean {
  return state === 'expected' && now.getTime() > dueAt.getTime();
}
