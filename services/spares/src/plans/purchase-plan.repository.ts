import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { Principal, SERVICE_CONFIG } from '@aftersales/platform';
import { changedRows, selectOne, selectRows } from '@aftersales/persistence';
import { EntityManager } from 'typeorm';
import { PlanLine } from '../domain';
import { scopeSql } from '../shared/scope';
import { countOf } from '../shared/sql';
import { PurchasePlan } from './purchase-plan';

type PlanRow = Omit<PurchasePlan, 'lines'>;
const FIELDS: Record<keyof PlanRow, string> = {
  id: 'id',
  contractId: 'contract_id',
  customerId: 'customer_id',
  region: 'region',
  state: 'state',
  depotId: 'depot_id',
  dueAt: 'due_at',
  overdue: 'overdue',
  overdueAt: 'overdue_at',
  draftedAt: 'drafted_at',
  orderedAt: 'ordered_at',
  stockedInAt: 'stocked_in_at',
  stockedInBy: 'stocked_in_by',
};
const KEYS = Object.keys(FIELDS) as Array<keyof PlanRow>;
const SELECT = KEYS.map((k) => `${FIELDS[k]} AS "${k}"`).join(', ');

/** Every SQL statement of purchase plans and their lines. */
@Injectable()
export class PurchasePlanRepository {
  private readonly s: string;
  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig) {
    this.s = config.database.schema;
  }

  /** At most one draft per contract: false when the contract has a draft already. */
  async insert(m: EntityManager, p: PurchasePlan): Promise<boolean> {
    const rows = await selectRows<{ id: string }>(
      m,
      `INSERT INTO "${this.s}".purchase_plans (${KEYS.map((k) => FIELDS[k]).join(', ')}) VALUES (${KEYS.map((_, i) => `$${i + 1}`).join(', ')})
       ON CONFLICT (contract_id) WHERE state = 'drafted' DO NOTHING RETURNING id`,
      KEYS.map((k) => p[k]),
    );
    if (rows.length === 0) return false;
    await this.addLines(m, p.id, p.lines);
    return true;
  }

  async addLines(m: EntityManager, planId: string, lines: PlanLine[]): Promise<void> {
    if (!lines.length) return;
    await m.query(
      `INSERT INTO "${this.s}".purchase_plan_lines (plan_id, part_number, quantity)
       SELECT $1, * FROM unnest($2::text[], $3::int[])
       ON CONFLICT (plan_id, part_number) DO UPDATE SET quantity = purchase_plan_lines.quantity + EXCLUDED.quantity`,
      [planId, lines.map((l) => l.partNumber), lines.map((l) => l.quantity)],
    );
  }

  /** The contract's plan still being drafted, locked (lines may be added to it). */
  async draftFor(m: EntityManager, contractId: string): Promise<PurchasePlan | null> {
    const r = await selectOne<PlanRow>(
      m,
      `SELECT ${SELECT} FROM "${this.s}".purchase_plans WHERE contract_id = $1 AND state = 'drafted' FOR UPDATE`,
      [contractId],
    );
    return r ? { ...r, lines: await this.lines(m, r.id) } : null;
  }

  async existsFor(m: EntityManager, contractId: string): Promise<boolean> {
    const rows = await selectRows(m, `SELECT 1 FROM "${this.s}".purchase_plans WHERE contract_id = $1 LIMIT 1`, [contractId]);
    return rows.length > 0;
  }

  async get(m: EntityManager, id: string, lock = false): Promise<PurchasePlan | null> {
    const r = await selectOne<PlanRow>(m, `SELECT ${SELECT} FROM "${this.s}".purchase_plans WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [
      id,
    ]);
    return r ? { ...r, lines: await this.lines(m, id) } : null;
  }

  async lines(m: EntityManager, planId: string): Promise<PlanLine[]> {
    return selectRows<PlanLine>(
      m,
      `SELECT part_number AS "partNumber", quantity FROM "${this.s}".purchase_plan_lines WHERE plan_id = $1 ORDER BY part_number`,
      [planId],
    );
  }

  async update(m: EntityManager, id: string, patch: Partial<PlanRow>): Promise<PurchasePlan> {
    const keys = Object.keys(patch) as Array<keyof PlanRow>;
    const [r] = await changedRows<PlanRow>(
      m,
      `UPDATE "${this.s}".purchase_plans SET ${keys.map((k, i) => `${FIELDS[k]} = $${i + 2}`).join(', ')} WHERE id = $1 RETURNING ${SELECT}`,
      [id, ...keys.map((k) => patch[k])],
    );
    if (!r) throw new Error(`purchase plan ${id}: no row to update (the caller holds its lock)`);
    return { ...r, lines: await this.lines(m, id) };
  }

  async list(
    m: EntityManager,
    by: Principal,
    f: { state?: string; overdue?: boolean; contractId?: string },
    limit: number,
    offset: number,
  ) {
    const params: unknown[] = [];
    const where = [scopeSql(by, params, ['region'], 'customer_id')];
    if (f.state !== undefined) where.push(`state = $${params.push(f.state)}`);
    if (f.overdue !== undefined) where.push(`overdue = $${params.push(f.overdue)}`);
    if (f.contractId !== undefined) where.push(`contract_id = $${params.push(f.contractId)}`);
    const w = where.join(' AND ');
    const total = await countOf(m, `SELECT count(*)::int AS n FROM "${this.s}".purchase_plans WHERE ${w}`, params);
    const rows = await selectRows<PlanRow>(
      m,
      `SELECT ${SELECT} FROM "${this.s}".purchase_plans WHERE ${w} ORDER BY due_at, id LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    const items: PurchasePlan[] = [];
    for (const r of rows) items.push({ ...r, lines: await this.lines(m, r.id) });
    return { items, total };
  }
}
