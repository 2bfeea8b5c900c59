import { Inject, Injectable } from '@nestjs/common';
import { Principal, SERVICE_CONFIG } from '@aftersales/platform';
import { DataSource, EntityManager } from 'typeorm';
import { ServiceConfig } from '@aftersales/config';
import { selectRows } from '@aftersales/persistence';
import { scopeSql } from '../shared/scope';
import { countOf } from '../shared/sql';

export type CallbackOutcome = 'reached' | 'unreachable' | 'complaint-opened';

export interface Callback {
  id: string;
  surveyId: string;
  caseId: string;
  caseNumber: string;
  region: string;
  week: string;
  customerId: string;
  lowItems: string[];
  assigneeRole: string;
  requestedAt: Date;
  dueAt: Date;
  status: 'open' | 'closed';
  overdueAt: Date | null;
  outcome: CallbackOutcome | null;
  note: string | null;
  closedBy: string | null;
  closedAt: Date | null;
  complaintCaseId: string | null;
  complaintCaseNumber: string | null;
}

const COLUMNS = `id, survey_id AS "surveyId", case_id AS "caseId", case_number AS "caseNumber", region, week, customer_id AS "customerId",
  low_items AS "lowItems", assignee_role AS "assigneeRole", requested_at AS "requestedAt", due_at AS "dueAt", status,
  overdue_at AS "overdueAt", outcome, note, closed_by AS "closedBy", closed_at AS "closedAt",
  complaint_case_id AS "complaintCaseId", complaint_case_number AS "complaintCaseNumber"`;

export interface CallbackFilter {
  status?: 'open' | 'closed';
  week?: string;
  overdue?: boolean;
}

/** Every SQL statement on `survey_callbacks`. */
@Injectable()
export class CallbacksRepository {
  private readonly s: string;
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly dataSource: DataSource,
  ) {
    this.s = config.database.schema;
  }

  async insert(m: EntityManager, c: Callback): Promise<void> {
    await m.query(
      `INSERT INTO "${this.s}".survey_callbacks (id, survey_id, case_id, case_number, region, week, customer_id, low_items,
         assignee_role, requested_at, due_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [c.id, c.surveyId, c.caseId, c.caseNumber, c.region, c.week, c.customerId, c.lowItems, c.assigneeRole, c.requestedAt, c.dueAt],
    );
  }

  async get(id: string, by: Principal, m: EntityManager = this.dataSource.manager, lock = false): Promise<Callback | undefined> {
    const params: unknown[] = [id];
    const rows: Callback[] = await m.query(
      `SELECT ${COLUMNS} FROM "${this.s}".survey_callbacks WHERE id = $1${scopeSql(by, params)}${lock ? ' FOR UPDATE' : ''}`,
      params,
    );
    return rows[0];
  }

  async ofSurvey(surveyId: string, m: EntityManager = this.dataSource.manager): Promise<Callback | undefined> {
    const rows: Callback[] = await m.query(`SELECT ${COLUMNS} FROM "${this.s}".survey_callbacks WHERE survey_id = $1`, [surveyId]);
    return rows[0];
  }

  async list(by: Principal, f: CallbackFilter, limit: number, offset: number): Promise<{ items: Callback[]; total: number }> {
    const params: unknown[] = [];
    let where = `WHERE true${scopeSql(by, params)}`;
    if (f.status) {
      params.push(f.status);
      where += ` AND status = $${params.length}`;
    }
    if (f.week) {
      params.push(f.week);
      where += ` AND week = $${params.length}`;
    }
    if (f.overdue !== undefined) where += f.overdue ? ' AND overdue_at IS NOT NULL' : ' AND overdue_at IS NULL';
    const total = await countOf(this.dataSource, `SELECT count(*)::int AS n FROM "${this.s}".survey_callbacks ${where}`, params);
    const items = await selectRows<Callback>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM "${this.s}".survey_callbacks ${where} ORDER BY due_at, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    return { items, total };
  }

  /** The open callback escalation reported overdue, locked; undefined when unknown or already closed. */
  async lockOpen(m: EntityManager, id: string): Promise<Callback | undefined> {
    const rows: Callback[] = await m.query(
      `SELECT ${COLUMNS} FROM "${this.s}".survey_callbacks WHERE id = $1 AND status = 'open' FOR UPDATE`,
      [id],
    );
    return rows[0];
  }

  async markOverdue(m: EntityManager, id: string, at: Date): Promise<void> {
    await m.query(`UPDATE "${this.s}".survey_callbacks SET overdue_at = $2 WHERE id = $1 AND overdue_at IS NULL`, [id, at]);
  }

  async close(m: EntityManager, id: string, outcome: CallbackOutcome, note: string | null, by: string, at: Date): Promise<void> {
    await m.query(
      `UPDATE "${this.s}".survey_callbacks SET status = 'closed', outcome = $2, note = $3, closed_by = $4, closed_at = $5 WHERE id = $1`,
      [id, outcome, note, by, at],
    );
  }

  /** The complaint case opened from a callback (its request id is the callback id). */
  async linkComplaint(m: EntityManager, callbackId: string, caseId: string, caseNumber: string): Promise<void> {
    await m.query(
      `UPDATE "${this.s}".survey_callbacks c SET complaint_case_id = $2, complaint_case_number = $3
        WHERE c.id = $1 AND c.complaint_case_id IS NULL
          AND NOT EXISTS (SELECT 1 FROM "${this.s}".survey_periods p WHERE p.region = c.region AND p.week = c.week AND p.state = 'archived')`,
      [callbackId, caseId, caseNumber],
    );
  }

  async ofWeeks(regions: string[] | undefined, weeks: string[]): Promise<Callback[]> {
    const params: unknown[] = [weeks];
    let where = 'week = ANY($1::text[])';
    if (regions) {
      params.push(regions);
      where += ' AND region = ANY($2::text[])';
    }
    return this.dataSource.query(`SELECT ${COLUMNS} FROM "${this.s}".survey_callbacks WHERE ${where} ORDER BY week, case_number`, params);
  }
}
