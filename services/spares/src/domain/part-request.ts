import { Machine } from './lifecycle';

/**
 * A part request of a case (domain §7): held at a depot (at once in the case's region; after the
 * other region's manager approves, elsewhere), then picked → shipped → delivered → installed.
 */
export type RequestState =
  'awaiting-approval' | 'reserved' | 'picked' | 'shipped' | 'delivered' | 'installed' | 'rejected' | 'cancelled' | 'doa-exchanged';

export type RequestAction = 'approve' | 'reject' | 'pick' | 'ship' | 'deliver' | 'install' | 'cancel' | 'doa-exchange';

export const REQUEST_MACHINE: Machine<RequestState, RequestAction> = {
  'awaiting-approval': { approve: 'reserved', reject: 'rejected', cancel: 'cancelled' },
  reserved: { pick: 'picked', cancel: 'cancelled' },
  picked: { ship: 'shipped', cancel: 'cancelled' },
  shipped: { deliver: 'delivered' },
  delivered: { install: 'installed', 'doa-exchange': 'doa-exchanged' },
  installed: { 'doa-exchange': 'doa-exchanged' },
  rejected: {},
  cancelled: {},
  'doa-exchanged': {},
};

/** States in which stock is held at the depot (reserved counter). */
export const HOLDING: readonly RequestState[] = ['awaiting-approval', 'reserved', 'picked'];
/** States in which the case still waits for the part. */
export const OUTSTANDING: readonly RequestState[] = ['awaiting-approval', 'reserved', 'picked', 'shipped'];
/** A part that left the depot: only then can a faulty one come back for it. */
export const SHIPPED_OR_LATER: readonly RequestState[] = ['shipped', 'delivered', 'installed', 'doa-exchanged'];

const DAY_MS = 86_400_000;

/** DOA (dead on arrival): a part failing within its window from delivery is exchanged, not repaired. */
export function withinDoaWindow(deliveredAt: Date, now: Date, doaDays: number): boolean {
  return now.getTime() - deliveredAt.getTime() <= doaDays * DAY_MS;
}
