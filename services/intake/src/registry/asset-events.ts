import { OutboxEvent } from '@aftersales/messaging';
import { EntityManager, In } from 'typeorm';
import { Asset, Customer } from './registry.entities';

/** What an asset announces of itself, and of how it was. */
export type AssetFacts = Pick<Asset, 'id' | 'customerId' | 'contractId' | 'model' | 'productLine'>;

/**
 * `intake.asset.registered.v1` for each asset that came under a contract — new on it, moved to it,
 * or given another model — so spares can add its parts to the contract's purchase plan. `before`
 * holds the rows as they were (absent: new). An asset under no contract announces nothing.
 */
export async function assetRegisteredEvents(
  m: EntityManager,
  rows: AssetFacts[],
  before: ReadonlyMap<string, Pick<AssetFacts, 'contractId' | 'model'>>,
  now: Date,
): Promise<Array<OutboxEvent<'intake.asset.registered.v1'>>> {
  const changed = rows.flatMap((r) => {
    const old = before.get(r.id);
    const { contractId } = r;
    return contractId && (!old || old.contractId !== contractId || old.model !== r.model) ? [{ ...r, contractId }] : [];
  });
  if (!changed.length) return [];
  const customers = await m.find(Customer, { where: { id: In([...new Set(changed.map((r) => r.customerId))]) } });
  const regionOf = new Map(customers.map((c) => [c.id, c.region]));
  return changed.map((r) => {
    const old = before.get(r.id);
    return {
      type: 'intake.asset.registered.v1',
      aggregateType: 'contract',
      aggregateId: r.contractId,
      data: {
        assetId: r.id,
        contractId: r.contractId,
        customerId: r.customerId,
        region: regionOf.get(r.customerId) ?? 'unknown',
        model: r.model,
        ...(r.productLine ? { productLine: r.productLine } : {}),
        change: old ? 'changed' : 'registered',
        ...(old ? { previous: { contractId: old.contractId ?? null, model: old.model } } : {}),
        at: now.toISOString(),
      },
    };
  });
}
