import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { DataSource, EntityManager } from 'typeorm';
import { ServiceConfig } from '@aftersales/config';
import { selectRows } from '@aftersales/persistence';
import { countOf } from '../shared/sql';

export interface Batch {
  id: string;
  region: string;
  week: string;
  dueAt: Date;
  ranAt: Date;
  surveys: number;
}

export interface Exclusion {
  caseId: string;
  caseNumber: string;
  caseClosedAt: Date;
  ruleId: string;
  ruleName: string;
}

/** Every SQL statement on `survey_batches` and `survey_exclusions`. */
@Injectable()
export class BatchesRepository {
  private readonly s: string;
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly dataSource: DataSource,
  ) {
    this.s = config.database.schema;
  }

  /**
   * Takes the week's batch of a region: true for the one transaction that inserted the row. A
   * replica racing for it waits on the unique key until the first commits, then gets false.
   */
  async claim(m: EntityManager, b: Omit<Batch, 'surveys'>): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO "${this.s}".survey_batches (id, region, week, due_at, ran_at, surveys) VALUES ($1, $2, $3, $4, $5, 0)
       ON CONFLICT (region, week) DO NOTHING RETURNING id`,
      [b.id, b.region, b.week, b.dueAt, b.ranAt],
    );
    return rows.length === 1;
  }

  async finish(m: EntityManager, id: string, surveys: number, excluded: Exclusion[]): Promise<void> {
    await m.query(`UPDATE "${this.s}".survey_batches SET surveys = $2 WHERE id = $1`, [id, surveys]);
    for (const x of excluded) {
      await m.query(
        `INSERT INTO "${this.s}".survey_exclusions (case_id, case_closed_at, batch_id, rule_id, rule_name) VALUES ($1, $2, $3, $4, $5)`,
        [x.caseId, x.caseClosedAt, id, x.ruleId, x.ruleName],
      );
    }
  }

  async ofRegion(
    region: string,
    week?: string,
    limit = 52,
    offset = 0,
  ): Promise<{ items: Array<Batch & { excluded: Array<Omit<Exclusion, 'caseClosedAt'>> }>; total: number }> {
    const params: unknown[] = [region, limit, offset];
    if (week) params.push(week);
    const items = await selectRows<Batch & { excluded: Array<Omit<Exclusion, 'caseClosedAt'>> }>(
      this.dataSource,
      `SELECT b.id, b.region, b.week, b.due_at AS "dueAt", b.ran_at AS "ranAt", b.surveys,
              COALESCE(json_agg(json_build_object('caseId', x.case_id, 'caseNumber', c.case_number, 'ruleId', x.rule_id, 'ruleName', x.rule_name)
                ORDER BY c.case_number) FILTER (WHERE x.case_id IS NOT NULL), '[]') AS excluded
         FROM "${this.s}".survey_batches b
         LEFT JOIN "${this.s}".survey_exclusions x ON x.batch_id = b.id
         LEFT JOIN "${this.s}".survey_cases c ON c.case_id = x.case_id
        WHERE b.region = $1${week ? ' AND b.week = $4' : ''}
        GROUP BY b.id ORDER BY b.week DESC LIMIT $2 OFFSET $3`,
      params,
    );
    const total = await countOf(
      this.dataSource,
      `SELECT count(*)::int AS n FROM "${this.s}".survey_batches WHERE region = $1${week ? ' AND week = $2' : ''}`,
      week ? [region, week] : [region],
    );
    return { items, total };
  }
}
