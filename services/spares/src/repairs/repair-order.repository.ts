import { Inject, Injectable } from '@nestjs/common';
import { Principal, SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { EntityManager } from 'typeorm';
import { Actor, scopeSql } from '../shared/scope';
import { insertMove, MappedTable } from '../shared/sql';
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
export class RepairOrderRepository {
  private readonly s: string;
  private readonly rows: MappedTable<RepairOrder>;
  constructor(@Inject(SERVICE_RUNTIME) rt: ServiceRuntime) {
    this.s = rt.config.database.schema;
    this.rows = new MappedTable<RepairOrder>(`"${this.s}".repair_orders`, FIELDS, {
      warrantyEndsOn: `to_char(warranty_ends_on, 'YYYY-MM-DD')`,
    });
  }

  insert(m: EntityManager, o: RepairOrder): Promise<void> {
    return this.rows.insert(m, o);
  }

  get(m: EntityManager, id: string, lock = false): Promise<RepairOrder | null> {
    return this.rows.get(m, id, lock);
  }

  update(m: EntityManager, id: string, patch: Partial<RepairOrder>): Promise<RepairOrder> {
    return this.rows.update(m, id, patch);
  }

  async addMove(
    m: EntityManager,
    orderId: string,
    mv: { action: string; from: string | null; to: string; actor: Actor; at: Date; data?: unknown },
  ) {
    await insertMove(m, `"${this.s}".repair_order_moves`, 'order_id', orderId, mv);
  }

  async moves(m: EntityManager, orderId: string) {
    const rows: Array<{
      action: string;
      from_state: string | null;
      to_state: string;
      actor_subject: string;
      actor_role: string;
      at: Date;
      data: unknown;
    }> = await m.query(`SELECT * FROM "${this.s}".repair_order_moves WHERE order_id = $1 ORDER BY seq`, [orderId]);
    return rows.map((r) => ({
      action: r.action,
      from: r.from_state,
      to: r.to_state,
      actor: { subject: r.actor_subject, role: r.actor_role },
      at: r.at,
      data: r.data,
    }));
  }

  async list(m: EntityManager, by: Principal, f: { state?: string; caseId?: string }, limit: number, offset: number) {
    const params: unknown[] = [];
    const where = [scopeSql(by, params, ['region'], 'customer_id')];
    if (f.state !== undefined) where.push(`state = $${params.push(f.state)}`);
    if (f.caseId !== undefined) where.push(`case_id = $${params.push(f.caseId)}`);
    const w = where.join(' AND ');
    const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM "${this.s}".repair_orders WHERE ${w}`, params);
    const items: RepairOrder[] = await m.query(
      `SELECT ${this.rows.select} FROM "${this.s}".repair_orders WHERE ${w} ORDER BY received_at DESC, id LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { items, total: n as number };
  }

  /** The contract's repair quote share, when it sets one. */
  async quotePercent(m: EntityManager, contractId: string | null): Promise<number | null> {
    if (!contractId) return null;
    const [r] = await m.query(`SELECT quote_percent FROM "${this.s}".contract_repair_terms WHERE contract_id = $1`, [contractId]);
    return r ? Number(r.quote_percent) : null;
  }

  async setQuotePercent(m: EntityManager, contractId: string, percent: number, by: string, now: Date) {
    const [r] = await m.query(
      `INSERT INTO "${this.s}".contract_repair_terms (contract_id, quote_percent, updated_by, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (contract_id) DO UPDATE SET quote_percent = EXCLUDED.quote_percent, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at
       RETURNING contract_id AS "contractId", quote_percent::float AS "quotePercent", updated_by AS "updatedBy", updated_at AS "updatedAt"`,
      [contractId, percent, by, now],
    );
    return r as { contractId: string; quotePercent: number; updatedBy: string; updatedAt: Date };
  }
}
