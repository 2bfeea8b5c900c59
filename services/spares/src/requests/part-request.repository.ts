import { Inject, Injectable } from '@nestjs/common';
import { Principal, SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { EntityManager } from 'typeorm';
import { OUTSTANDING } from '../domain';
import { Actor, scopeSql } from '../shared/scope';
import { insertMove, MappedTable } from '../shared/sql';
import { PartRequest, RequestMove } from './part-request';

const FIELDS: Record<keyof PartRequest, string> = {
  id: 'id',
  caseId: 'case_id',
  region: 'region',
  customerId: 'customer_id',
  severity: 'severity',
  partNumber: 'part_number',
  quantity: 'quantity',
  siteId: 'site_id',
  neededBy: 'needed_by',
  state: 'state',
  depotId: 'depot_id',
  depotRegion: 'depot_region',
  crossRegion: 'cross_region',
  exchangeOf: 'exchange_of',
  requestedBy: 'requested_by',
  decidedBy: 'decided_by',
  decisionReason: 'decision_reason',
  carrier: 'carrier',
  trackingNumber: 'tracking_number',
  courier: 'courier',
  late: 'late',
  requestedAt: 'requested_at',
  reservedAt: 'reserved_at',
  pickedAt: 'picked_at',
  shippedAt: 'shipped_at',
  deliveredAt: 'delivered_at',
  installedAt: 'installed_at',
  closedAt: 'closed_at',
  updatedAt: 'updated_at',
};

export interface RequestFilter {
  caseId?: string;
  state?: string;
  depotId?: string;
}

/** Every SQL statement of part requests and their move history. */
@Injectable()
export class PartRequestRepository {
  private readonly s: string;
  private readonly rows: MappedTable<PartRequest>;
  constructor(@Inject(SERVICE_RUNTIME) rt: ServiceRuntime) {
    this.s = rt.config.database.schema;
    this.rows = new MappedTable<PartRequest>(`"${this.s}".part_requests`, FIELDS);
  }

  insert(m: EntityManager, r: PartRequest): Promise<void> {
    return this.rows.insert(m, r);
  }

  /** The request, locked for the rest of the transaction when `lock` (moves of one request queue). */
  get(m: EntityManager, id: string, lock = false): Promise<PartRequest | null> {
    return this.rows.get(m, id, lock);
  }

  update(m: EntityManager, id: string, patch: Partial<PartRequest>): Promise<PartRequest> {
    return this.rows.update(m, id, patch);
  }

  async addMove(
    m: EntityManager,
    requestId: string,
    mv: { action: string; from: string | null; to: string; actor: Actor; at: Date; data?: unknown },
  ) {
    await insertMove(m, `"${this.s}".part_request_moves`, 'request_id', requestId, mv);
  }

  async moves(m: EntityManager, requestId: string): Promise<RequestMove[]> {
    const rows: Array<{
      action: string;
      from_state: string | null;
      to_state: string;
      actor_subject: string;
      actor_role: string;
      at: Date;
      data: Record<string, unknown> | null;
    }> = await m.query(`SELECT * FROM "${this.s}".part_request_moves WHERE request_id = $1 ORDER BY seq`, [requestId]);
    return rows.map((r) => ({
      action: r.action,
      from: r.from_state,
      to: r.to_state,
      actor: { subject: r.actor_subject, role: r.actor_role },
      at: r.at,
      data: r.data,
    }));
  }

  /** Parts the case still waits for (held or on their way). */
  async outstandingForCase(m: EntityManager, caseId: string | null): Promise<number> {
    if (!caseId) return 0;
    const [{ n }] = await m.query(
      `SELECT count(*)::int AS n FROM "${this.s}".part_requests WHERE case_id = $1 AND state = ANY($2::text[])`,
      [caseId, OUTSTANDING],
    );
    return n;
  }

  async list(m: EntityManager, by: Principal, f: RequestFilter, limit: number, offset: number) {
    const params: unknown[] = [];
    const where = [scopeSql(by, params, ['region', 'depot_region'])];
    for (const [k, col] of [
      ['caseId', 'case_id'],
      ['state', 'state'],
      ['depotId', 'depot_id'],
    ] as const) {
      if (f[k] === undefined) continue;
      params.push(f[k]);
      where.push(`${col} = $${params.length}`);
    }
    const w = where.join(' AND ');
    const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM "${this.s}".part_requests WHERE ${w}`, params);
    const items: PartRequest[] = await m.query(
      `SELECT ${this.rows.select} FROM "${this.s}".part_requests WHERE ${w} ORDER BY requested_at DESC, id LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { items, total: n as number };
  }
}
