import { Inject, Injectable } from '@nestjs/common';
import { Principal, SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { EntityManager } from 'typeorm';
import { OUTSTANDING } from '../domain';
import { Actor, scopeSql } from '../shared/scope';
import { returning } from '../shared/sql';
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
const KEYS = Object.keys(FIELDS) as Array<keyof PartRequest>;
const SELECT = KEYS.map((k) => `${FIELDS[k]} AS "${k}"`).join(', ');

export interface RequestFilter {
  caseId?: string;
  state?: string;
  depotId?: string;
}

/** Every SQL statement of part requests and their move history. */
@Injectable()
export class PartRequestRepository {
  private readonly s: string;
  constructor(@Inject(SERVICE_RUNTIME) rt: ServiceRuntime) {
    this.s = rt.config.database.schema;
  }

  async insert(m: EntityManager, r: PartRequest): Promise<void> {
    await m.query(
      `INSERT INTO "${this.s}".part_requests (${KEYS.map((k) => FIELDS[k]).join(', ')}) VALUES (${KEYS.map((_, i) => `$${i + 1}`).join(', ')})`,
      KEYS.map((k) => r[k]),
    );
  }

  /** The request, locked for the rest of the transaction when `lock` (moves of one request queue). */
  async get(m: EntityManager, id: string, lock = false): Promise<PartRequest | null> {
    const [r] = await m.query(`SELECT ${SELECT} FROM "${this.s}".part_requests WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return r ?? null;
  }

  async update(m: EntityManager, id: string, patch: Partial<PartRequest>): Promise<PartRequest> {
    const keys = Object.keys(patch) as Array<keyof PartRequest>;
    const [r] = await returning<PartRequest>(
      m,
      `UPDATE "${this.s}".part_requests SET ${keys.map((k, i) => `${FIELDS[k]} = $${i + 2}`).join(', ')} WHERE id = $1 RETURNING ${SELECT}`,
      [id, ...keys.map((k) => patch[k])],
    );
    return r;
  }

  async addMove(
    m: EntityManager,
    requestId: string,
    mv: { action: string; from: string | null; to: string; actor: Actor; at: Date; data?: unknown },
  ) {
    await m.query(
      `INSERT INTO "${this.s}".part_request_moves (request_id, action, from_state, to_state, actor_subject, actor_role, at, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        requestId,
        mv.action,
        mv.from,
        mv.to,
        mv.actor.subject,
        mv.actor.role,
        mv.at,
        mv.data === undefined ? null : JSON.stringify(mv.data),
      ],
    );
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
      `SELECT ${SELECT} FROM "${this.s}".part_requests WHERE ${w} ORDER BY requested_at DESC, id LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { items, total: n as number };
  }
}
