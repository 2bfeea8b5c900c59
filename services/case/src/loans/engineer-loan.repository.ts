import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { Principal, SERVICE_CONFIG, visibleTo } from '@aftersales/platform';
import { selectOne, selectRows } from '@aftersales/persistence';
import { EntityManager } from 'typeorm';
import { EngineerLoan } from './engineer-loan';

const COLUMNS = `id, side, from_region AS "fromRegion", to_region AS "toRegion", case_id AS "caseId", case_number AS "caseNumber",
  severity, summary, skills, state, engineer_id AS "engineerId", engineer_name AS "engineerName", reason,
  requested_by AS "requestedBy", decided_by AS "decidedBy", worked_minutes AS "workedMinutes",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

type Patch = Partial<Pick<EngineerLoan, 'state' | 'engineerId' | 'engineerName' | 'reason' | 'decidedBy'>> & {
  addMinutes?: number;
  updatedAt: Date;
};

/** Every SQL statement of `engineer_loans`. */
@Injectable()
export class EngineerLoanRepository {
  private readonly s: string;
  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig) {
    this.s = config.database.schema;
  }

  /** false when the row exists already. */
  async insert(m: EntityManager, l: EngineerLoan): Promise<boolean> {
    const rows = await selectRows<{ id: string }>(
      m,
      `INSERT INTO "${this.s}".engineer_loans (id, side, from_region, to_region, case_id, case_number, severity, summary, skills,
         state, engineer_id, engineer_name, reason, requested_by, decided_by, worked_minutes, created_at, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18) ON CONFLICT (id, side) DO NOTHING RETURNING id`,
      [
        l.id, l.side, l.fromRegion, l.toRegion, l.caseId, l.caseNumber, l.severity, l.summary, l.skills, l.state,
        l.engineerId, l.engineerName, l.reason, l.requestedBy, l.decidedBy, l.workedMinutes, l.createdAt, l.updatedAt,
      ], // prettier-ignore
    );
    return rows.length > 0;
  }

  async get(m: EntityManager, id: string, side: EngineerLoan['side'], lock = false): Promise<EngineerLoan | null> {
    const row = await selectOne<EngineerLoan>(
      m,
      `SELECT ${COLUMNS} FROM "${this.s}".engineer_loans WHERE id = $1 AND side = $2 ${lock ? 'FOR UPDATE' : ''}`,
      [id, side],
    );
    return row ?? null;
  }

  async update(m: EntityManager, l: EngineerLoan, p: Patch): Promise<void> {
    await m.query(
      `UPDATE "${this.s}".engineer_loans SET state = COALESCE($3, state), engineer_id = COALESCE($4, engineer_id),
         engineer_name = COALESCE($5, engineer_name), reason = COALESCE($6, reason), decided_by = COALESCE($7, decided_by),
         worked_minutes = worked_minutes + $8, updated_at = $9
       WHERE id = $1 AND side = $2`,
      [
        l.id,
        l.side,
        p.state ?? null,
        p.engineerId ?? null,
        p.engineerName ?? null,
        p.reason ?? null,
        p.decidedBy ?? null,
        p.addMinutes ?? 0,
        p.updatedAt,
      ],
    );
  }

  /** Staff see the loans their region asked for or was asked for; a global token all. */
  async list(m: EntityManager, by: Principal, limit: number, offset: number): Promise<{ items: EngineerLoan[]; total: number }> {
    const region = visibleTo(by).region;
    const where = region === undefined ? 'true' : '(from_region = $1 OR to_region = $1)';
    const params = region === undefined ? [] : [region];
    const count = await selectOne<{ total: number }>(
      m,
      `SELECT count(*)::int AS total FROM "${this.s}".engineer_loans WHERE ${where}`,
      params,
    );
    const items = await selectRows<EngineerLoan>(
      m,
      `SELECT ${COLUMNS} FROM "${this.s}".engineer_loans WHERE ${where}
        ORDER BY created_at DESC, id, side LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    return { items, total: count?.total ?? 0 };
  }
}
