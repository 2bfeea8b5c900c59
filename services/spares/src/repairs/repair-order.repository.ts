import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { Principal, SERVICE_CONFIG } from '@aftersales/platform';
import { selectOne } from '@aftersales/persistence';
import { EntityManager } from 'typeorm';
import { scopeSql } from '../shared/scope';
import { MappedTable } from '../shared/sql';
import { RepairOrder } from './repair-order';

const FIELDS: Record<keyof RepairOrder, string> = {
  id: 'id',
  caseId: 'case_id',
  customerId: 'customer_id',
  region: 'region',
  channel: 'channel',
  serialNumber: 'serial_number',
  productModel: 'product_model',
  contractId: 'contract_id',
  warrantyEndsOn: 'warranty_ends_on',
  inWarranty: 'in_warranty',
  condition: 'condition',
  accessories: 'accessories',
  photos: 'photos',
  fault: 'fault',
  partNumber: 'part_number',
  quotePercent: 'quote_percent',
  quoteAmount: 'quote_amount',
  state: 'state',
  carrier: 'carrier',
  trackingNumber: 'tracking_number',
  collectedBy: 'collected_by',
  repairNotes: 'repair_notes',
  receivedBy: 'received_by',
  receivedAt: 'received_at',
  diagnosedAt: 'diagnosed_at',
  quotedAt: 'quoted_at',
  decidedAt: 'decided_at',
  repairedAt: 'repaired_at',
  returnedAt: 'returned_at',
  updatedAt: 'updated_at',
};

/** Every SQL statement of repair orders, their history, and the contracts' repair quote terms. */
@Injectable()
export class RepairOrderRepository extends MappedTable<RepairOrder> {
  private readonly s: string;
  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig) {
    super(
      config.database.schema,
      'repair_orders',
      FIELDS,
      { table: 'repair_order_moves', owner: 'order_id' },
      {
        warrantyEndsOn: `to_char(warranty_ends_on, 'YYYY-MM-DD')`,
      },
    );
    this.s = config.database.schema;
  }

  list(m: EntityManager, by: Principal, f: { state?: string; caseId?: string }, limit: number, offset: number) {
    const params: unknown[] = [];
    const where = [scopeSql(by, params, ['region'], 'customer_id')];
    if (f.state !== undefined) where.push(`state = $${params.push(f.state)}`);
    if (f.caseId !== undefined) where.push(`case_id = $${params.push(f.caseId)}`);
    return this.page(m, where.join(' AND '), params, 'received_at DESC, id', limit, offset);
  }

  /** The contract's repair quote share, when it sets one. */
  async quotePercent(m: EntityManager, contractId: string | null): Promise<number | null> {
    if (!contractId) return null;
    const r = await selectOne<{ quote_percent: string }>(
      m,
      `SELECT quote_percent FROM "${this.s}".contract_repair_terms WHERE contract_id = $1`,
      [contractId],
    );
    return r ? Number(r.quote_percent) : null;
  }

  async setQuotePercent(m: EntityManager, contractId: string, percent: number, by: string, now: Date) {
    const r = await selectOne<{ contractId: string; quotePercent: number; updatedBy: string; updatedAt: Date }>(
      m,
      `INSERT INTO "${this.s}".contract_repair_terms (contract_id, quote_percent, updated_by, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (contract_id) DO UPDATE SET quote_percent = EXCLUDED.quote_percent, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at
       RETURNING contract_id AS "contractId", quote_percent::float AS "quotePercent", updated_by AS "updatedBy", updated_at AS "updatedAt"`,
      [contractId, percent, by, now],
    );
    if (!r) throw new Error(`contract_repair_terms ${contractId}: upsert … RETURNING answered no row`);
    return r;
  }
}
