import type { WarrantyStatus } from '@aftersales/contracts';

/**
 * Warranty as the agent must see it on the call (seed 001/004): the asset's own warranty first,
 * then a maintenance agreement or contract in force, else expired (paid service). Dates are local
 * `YYYY-MM-DD` and inclusive: a warranty ending 2026-11-23 still covers a call on 2026-11-23.
 */
export function warrantyStatus(
  today: string,
  asset: { warrantyEndsOn: string | null } | null,
  contract: { startsOn: string; endsOn: string; warrantyEndsOn: string | null } | null,
  agreement: { startsOn: string; endsOn: string } | null = null,
): WarrantyStatus {
  if (!asset && !contract) return 'unknown';
  const warrantyEnd = asset?.warrantyEndsOn ?? contract?.warrantyEndsOn ?? null;
  if (warrantyEnd && today <= warrantyEnd) return 'in-warranty';
  if (agreement && agreement.startsOn <= today && today <= agreement.endsOn) return 'under-contract';
  if (contract && contract.startsOn <= today && today <= contract.endsOn) return 'under-contract';
  if (!warrantyEnd && !contract) return 'unknown';
  return 'expired';
}

/** Seed 004: neither warranty nor agreement — the request is taken all the same, and the work is paid. */
export const isChargeable = (w: WarrantyStatus): boolean => w === 'expired';
