import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { Principal, SERVICE_CONFIG } from '@aftersales/platform';
import { selectOne, selectRows } from '@aftersales/persistence';
import { EntityManager } from 'typeorm';
import { scopeSql } from '../shared/scope';
import { countOf } from '../shared/sql';
import { ASK_OUTSTANDING, PartAsk } from './part-ask';

const COLUMNS = `id, side, from_region AS "fromRegion", to_region AS "toRegion", case_id AS "caseId", case_number AS "caseNumber",
  severity, part_number AS "partNumber", quantity, needed_by AS "neededBy", state, request_id AS "requestId",
  depot_id AS "depotId", reason, requested_by AS "requestedBy", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Every SQL statement of `part_asks`. */
@Injectable()
export class PartAskRepository {
  private readonly s: string;
  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig) {
    this.s = config.database.schema;
  }

  /** false when the row exists already (a redelivered request). */
  async insert(m: EntityManager, a: PartAsk): Promise<boolean> {
    const rows = await selectRows<{ id: string }>(
      m,
      `INSERT INTO "${this.s}".part_asks (id, side, from_region, to_region, case_id, case_number, severity, part_number, quantity,
         needed_by, state, request_id, depot_id, reason, requested_by, created_at, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17) ON CONFLICT (id, side) DO NOTHING RETURNING id`,
      [
        a.id, a.side, a.fromRegion, a.toRegion, a.caseId, a.caseNumber, a.severity, a.partNumber, a.quantity,
        a.neededBy, a.state, a.requestId, a.depotId, a.reason, a.requestedBy, a.createdAt, a.updatedAt,
      ], // prettier-ignore
    );
    return rows.length > 0;
  }

  async get(m: EntityManager, id: string, side: PartAsk['side'], lock = false): Promise<PartAsk | null> {
    const r = await selectOne<PartAsk>(
      m,
      `SELECT ${COLUMNS} FROM "${this.s}".part_asks WHERE id = $1 AND side = $2 ${lock ? 'FOR UPDATE' : ''}`,
      [id, side],
    );
    return r ?? null;
  }

  /** The ask an asked region's part request serves, locked. */
  async byRequest(m: EntityManager, requestId: string): Promise<PartAsk | null> {
    const r = await selectOne<PartAsk>(m, `SELECT ${COLUMNS} FROM "${this.s}".part_asks WHERE request_id = $1 FOR UPDATE`, [requestId]);
    return r ?? null;
  }

  async update(
    m: EntityManager,
    id: string,
    p: Partial<Pick<PartAsk, 'state' | 'requestId' | 'depotId' | 'reason'>> & { side: PartAsk['side']; updatedAt: Date },
  ) {
    await m.query(
      `UPDATE "${this.s}".part_asks SET state = COALESCE($2, state), request_id = COALESCE($3, request_id),
         depot_id = COALESCE($4, depot_id), reason = COALESCE($5, reason), updated_at = $6 WHERE id = $1 AND side = $7`,
      [id, p.state ?? null, p.requestId ?? null, p.depotId ?? null, p.reason ?? null, p.updatedAt, p.side],
    );
  }

  /** Parts asked of other regions for this case and not yet delivered (or declined). */
  async outstandingForCase(m: EntityManager, caseId: string): Promise<number> {
    return countOf(
      m,
      `SELECT count(*)::int AS n FROM "${this.s}".part_asks WHERE side = 'asking' AND case_id = $1 AND state = ANY($2::text[])`,
      [caseId, ASK_OUTSTANDING],
    );
  }

  /** Staff see the asks of their region, asked or asking; an admin all. */
  async list(m: EntityManager, by: Principal, limit: number, offset: number): Promise<{ items: PartAsk[]; total: number }> {
    const params: unknown[] = [];
    const where = scopeSql(by, params, ['from_region', 'to_region']);
    const total = await countOf(m, `SELECT count(*)::int AS n FROM "${this.s}".part_asks WHERE ${where}`, params);
    const items = await selectRows<PartAsk>(
      m,
      `SELECT ${COLUMNS} FROM "${this.s}".part_asks WHERE ${where} ORDER BY created_at DESC, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    return { items, total };
  }
}
