import { Inject, Injectable } from '@nestjs/common';
import { Principal, SERVICE_CONFIG } from '@aftersales/platform';
import { DataSource, EntityManager } from 'typeorm';
import { ServiceConfig } from '@aftersales/config';
import { selectOne, selectRows } from '@aftersales/persistence';
import { Answer, Scores } from '../domain/scores';
import { scopeSql } from '../shared/scope';
import { countOf } from '../shared/sql';

export type SurveyStatus = 'sent' | 'partial' | 'answered';
export type Via = 'link' | 'phone' | 'portal';

export interface Survey {
  id: string;
  batchId: string;
  caseId: string;
  caseClosedAt: Date;
  caseNumber: string;
  region: string;
  week: string;
  customerId: string;
  contact: { name: string; phone?: string; email?: string };
  ownerId: string | null;
  ownerName: string | null;
  escalationOwnerId: string | null;
  escalationOwnerName: string | null;
  sentAt: Date;
  expiresAt: Date;
  status: SurveyStatus;
  scores: Scores;
  smooth: boolean | null;
  comment: string | null;
  via: Via | null;
  answeredBy: string | null;
  answeredAt: Date | null;
}

export interface NewSurvey extends Omit<Survey, 'status' | 'scores' | 'smooth' | 'comment' | 'via' | 'answeredBy' | 'answeredAt'> {
  tokenHash: string;
}

interface Row {
  id: string;
  batch_id: string;
  case_id: string;
  case_closed_at: Date;
  case_number: string;
  region: string;
  week: string;
  customer_id: string;
  contact: Survey['contact'];
  owner_id: string | null;
  owner_name: string | null;
  escalation_owner_id: string | null;
  escalation_owner_name: string | null;
  sent_at: Date;
  expires_at: Date;
  status: SurveyStatus;
  response_time: number | null;
  technical_skill: number | null;
  attitude: number | null;
  outcome: number | null;
  smooth: boolean | null;
  comment: string | null;
  via: Via | null;
  answered_by: string | null;
  answered_at: Date | null;
}

function scoresOf(r: Row): Scores {
  const s: Scores = {};
  if (r.response_time !== null) s.responseTime = r.response_time;
  if (r.technical_skill !== null) s.technicalSkill = r.technical_skill;
  if (r.attitude !== null) s.attitude = r.attitude;
  if (r.outcome !== null) s.outcome = r.outcome;
  return s;
}

const toSurvey = (r: Row): Survey => ({
  id: r.id,
  batchId: r.batch_id,
  caseId: r.case_id,
  caseClosedAt: r.case_closed_at,
  caseNumber: r.case_number,
  region: r.region,
  week: r.week,
  customerId: r.customer_id,
  contact: r.contact,
  ownerId: r.owner_id,
  ownerName: r.owner_name,
  escalationOwnerId: r.escalation_owner_id,
  escalationOwnerName: r.escalation_owner_name,
  sentAt: r.sent_at,
  expiresAt: r.expires_at,
  status: r.status,
  scores: scoresOf(r),
  smooth: r.smooth,
  comment: r.comment,
  via: r.via,
  answeredBy: r.answered_by,
  answeredAt: r.answered_at,
});

export interface SurveyFilter {
  week?: string;
  status?: SurveyStatus;
  caseId?: string;
}

/** Every SQL statement on `surveys`. */
@Injectable()
export class SurveysRepository {
  private readonly s: string;
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly dataSource: DataSource,
  ) {
    this.s = config.database.schema;
  }

  /** One statement for a whole batch (a region's week can hold thousands). */
  async insert(m: EntityManager, rows: NewSurvey[], at: Date): Promise<void> {
    if (rows.length === 0) return;
    const col = <K extends keyof NewSurvey>(k: K) => rows.map((r) => r[k]);
    await m.query(
      `INSERT INTO "${this.s}".surveys (id, batch_id, case_id, case_closed_at, case_number, region, week, customer_id, contact,
         owner_id, owner_name, escalation_owner_id, escalation_owner_name, token_hash, sent_at, expires_at, updated_at)
       SELECT *, $17::timestamptz FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::text[], $6::text[], $7::text[],
         $8::text[], $9::jsonb[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::timestamptz[], $16::timestamptz[])`,
      [
        col('id'),
        col('batchId'),
        col('caseId'),
        col('caseClosedAt'),
        col('caseNumber'),
        col('region'),
        col('week'),
        col('customerId'),
        rows.map((r) => JSON.stringify(r.contact)),
        col('ownerId'),
        col('ownerName'),
        col('escalationOwnerId'),
        col('escalationOwnerName'),
        col('tokenHash'),
        col('sentAt'),
        col('expiresAt'),
        at,
      ],
    );
  }

  /** The survey of a link, locked for the answer being saved. */
  async lockByToken(m: EntityManager, tokenHash: string): Promise<Survey | undefined> {
    const rows: Row[] = await m.query(`SELECT * FROM "${this.s}".surveys WHERE token_hash = $1 FOR UPDATE`, [tokenHash]);
    return rows[0] && toSurvey(rows[0]);
  }

  async byToken(tokenHash: string): Promise<Survey | undefined> {
    const rows: Row[] = await this.dataSource.query(`SELECT * FROM "${this.s}".surveys WHERE token_hash = $1`, [tokenHash]);
    return rows[0] && toSurvey(rows[0]);
  }

  /** A survey visible to the principal (else undefined), optionally locked. */
  async get(id: string, by: Principal, m: EntityManager = this.dataSource.manager, lock = false): Promise<Survey | undefined> {
    const params: unknown[] = [id];
    const rows: Row[] = await m.query(
      `SELECT * FROM "${this.s}".surveys WHERE id = $1${scopeSql(by, params)}${lock ? ' FOR UPDATE' : ''}`,
      params,
    );
    return rows[0] && toSurvey(rows[0]);
  }

  async saveAnswer(
    m: EntityManager,
    id: string,
    a: Answer,
    status: SurveyStatus,
    at: Date,
    final?: { via: Via; by: string },
  ): Promise<void> {
    await m.query(
      `UPDATE "${this.s}".surveys SET response_time = $2, technical_skill = $3, attitude = $4, outcome = $5, smooth = $6,
         comment = $7, status = $8, updated_at = $9, via = COALESCE($10, via), answered_by = COALESCE($11, answered_by),
         answered_at = CASE WHEN $8 = 'answered' THEN $9 ELSE answered_at END
       WHERE id = $1`,
      [
        id,
        a.scores.responseTime ?? null,
        a.scores.technicalSkill ?? null,
        a.scores.attitude ?? null,
        a.scores.outcome ?? null,
        a.smooth ?? null,
        a.comment ?? null,
        status,
        at,
        final?.via ?? null,
        final?.by ?? null,
      ],
    );
  }

  async list(by: Principal, f: SurveyFilter, limit: number, offset: number): Promise<{ items: Survey[]; total: number }> {
    const params: unknown[] = [];
    let where = `WHERE true${scopeSql(by, params)}`;
    for (const [col, v] of [
      ['week', f.week],
      ['status', f.status],
      ['case_id', f.caseId],
    ] as const) {
      if (v === undefined) continue;
      params.push(v);
      where += ` AND ${col} = $${params.length}`;
    }
    const total = await countOf(this.dataSource, `SELECT count(*)::int AS n FROM "${this.s}".surveys ${where}`, params);
    const rows = await selectRows<Row>(
      this.dataSource,
      `SELECT * FROM "${this.s}".surveys ${where} ORDER BY week DESC, case_number, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    return { items: rows.map(toSurvey), total };
  }

  /** The contact a survey was sent to (a callback's complaint names it). */
  async contactOf(m: EntityManager, id: string): Promise<Survey['contact']> {
    const r = await selectOne<{ contact: Survey['contact'] }>(m, `SELECT contact FROM "${this.s}".surveys WHERE id = $1`, [id]);
    // a callback is made from its survey and refers to it by key
    if (!r) throw new Error(`survey ${id} not found`);
    return r.contact;
  }

  /** Surveys of some regions' weeks, for reports, in case-number order. */
  async ofWeeks(regions: string[] | undefined, weeks: string[]): Promise<Survey[]> {
    const params: unknown[] = [weeks];
    let where = 'week = ANY($1::text[])';
    if (regions) {
      params.push(regions);
      where += ' AND region = ANY($2::text[])';
    }
    const rows: Row[] = await this.dataSource.query(
      `SELECT * FROM "${this.s}".surveys WHERE ${where} ORDER BY week, region, case_number, id`,
      params,
    );
    return rows.map(toSurvey);
  }
}
