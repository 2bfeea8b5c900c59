import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { Principal, SERVICE_CONFIG } from '@aftersales/platform';
import { changedRows, selectOne, selectRows } from '@aftersales/persistence';
import { EntityManager } from 'typeorm';
import { scopeSql } from '../shared/scope';
import { countOf } from '../shared/sql';
import { PartReturn } from './part-return';

const FIELDS: Record<keyof PartReturn, string> = {
  id: 'id',
  requestId: 'request_id',
  caseId: 'case_id',
  region: 'region',
  depotId: 'depot_id',
  partNumber: 'part_number',
  quantity: 'quantity',
  doa: 'doa',
  state: 'state',
  dueAt: 'due_at',
  overdue: 'overdue',
  overdueAt: 'overdue_at',
  receivedAt: 'received_at',
  receivedBy: 'received_by',
  condition: 'condition',
  decidedAt: 'decided_at',
  decidedBy: 'decided_by',
  decisionReason: 'decision_reason',
  rmaNumber: 'rma_number',
  createdAt: 'created_at',
};
const KEYS = Object.keys(FIELDS) as Array<keyof PartReturn>;
const SELECT = KEYS.map((k) => `r.${FIELDS[k]} AS "${k}"`).join(', ');

/** Every SQL statement of defective returns. */
@Injectable()
export class ReturnRepository {
  private readonly s: string;
  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig) {
    this.s = config.database.schema;
  }

  /** Inserts unless the request already owes a return of this kind; null then. */
  async insert(m: EntityManager, r: PartReturn): Promise<PartReturn | null> {
    const row = await selectOne<PartReturn>(
      m,
      `INSERT INTO "${this.s}".part_returns AS r (${KEYS.map((k) => FIELDS[k]).join(', ')})
       VALUES (${KEYS.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT (request_id, doa) DO NOTHING RETURNING ${SELECT}`,
      KEYS.map((k) => r[k]),
    );
    return row ?? null;
  }

  async get(m: EntityManager, id: string, lock = false): Promise<(PartReturn & { depotRegion: string }) | null> {
    const r = await selectOne<PartReturn & { depotRegion: string }>(
      m,
      `SELECT ${SELECT}, d.region AS "depotRegion" FROM "${this.s}".part_returns r JOIN "${this.s}".depots d ON d.id = r.depot_id
        WHERE r.id = $1${lock ? ' FOR UPDATE OF r' : ''}`,
      [id],
    );
    return r ?? null;
  }

  async update(m: EntityManager, id: string, patch: Partial<PartReturn>): Promise<PartReturn> {
    const keys = Object.keys(patch) as Array<keyof PartReturn>;
    const [r] = await changedRows<PartReturn>(
      m,
      `UPDATE "${this.s}".part_returns AS r SET ${keys.map((k, i) => `${FIELDS[k]} = $${i + 2}`).join(', ')} WHERE id = $1 RETURNING ${SELECT}`,
      [id, ...keys.map((k) => patch[k])],
    );
    if (!r) throw new Error(`part return ${id}: no row to update (the caller holds its lock)`);
    return r;
  }

  /** Claims expected returns past due and not yet flagged (SKIP LOCKED: replicas share them, each flagged once). */
  async claimOverdue(m: EntityManager, now: Date, limit: number): Promise<PartReturn[]> {
    return selectRows<PartReturn>(
      m,
      `SELECT ${SELECT} FROM "${this.s}".part_returns r
        WHERE r.state = 'expected' AND NOT r.overdue AND r.due_at < $1
        ORDER BY r.due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
  }

  /** Owed and past due at `now`, flagged yet or not: a report made beside another replica's sweep still counts it. */
  async countOverdue(m: EntityManager, depotId: string, now: Date): Promise<number> {
    return countOf(
      m,
      `SELECT count(*)::int AS n FROM "${this.s}".part_returns
        WHERE depot_id = $1 AND state = 'expected' AND (overdue OR due_at < $2)`,
      [depotId, now],
    );
  }

  async list(m: EntityManager, by: Principal, f: { state?: string; overdue?: boolean; requestId?: string }, limit: number, offset: number) {
    const params: unknown[] = [];
    const where = [scopeSql(by, params, ['r.region', 'd.region'])];
    if (f.state !== undefined) where.push(`r.state = $${params.push(f.state)}`);
    if (f.overdue !== undefined) where.push(`r.overdue = $${params.push(f.overdue)}`);
    if (f.requestId !== undefined) where.push(`r.request_id = $${params.push(f.requestId)}`);
    const from = `"${this.s}".part_returns r JOIN "${this.s}".depots d ON d.id = r.depot_id WHERE ${where.join(' AND ')}`;
    const total = await countOf(m, `SELECT count(*)::int AS n FROM ${from}`, params);
    const items = await selectRows<PartReturn>(
      m,
      `SELECT ${SELECT} FROM ${from} ORDER BY r.due_at, r.id LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { items, total };
  }
}
