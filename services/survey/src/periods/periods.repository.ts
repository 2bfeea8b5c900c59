import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { DataSource, EntityManager } from 'typeorm';
import { ServiceConfig } from '@aftersales/config';
import { selectRows } from '@aftersales/persistence';
import { PeriodState } from '../domain/period';
import { conflict } from '../shared/problems';
import { countOf } from '../shared/sql';

export interface Period {
  region: string;
  week: string;
  state: PeriodState;
  reviewNote: string | null;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  signedOffBy: string | null;
  signedOffAt: Date | null;
  archivedBy: string | null;
  archivedAt: Date | null;
}

const COLUMNS = `region, week, state, review_note AS "reviewNote", reviewed_by AS "reviewedBy", reviewed_at AS "reviewedAt",
  signed_off_by AS "signedOffBy", signed_off_at AS "signedOffAt", archived_by AS "archivedBy", archived_at AS "archivedAt"`;

/** Every SQL statement on `survey_periods`. */
@Injectable()
export class PeriodsRepository {
  private readonly s: string;
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly dataSource: DataSource,
  ) {
    this.s = config.database.schema;
  }

  async ensure(m: EntityManager, region: string, week: string): Promise<void> {
    await m.query(`INSERT INTO "${this.s}".survey_periods (region, week) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [region, week]);
  }

  async get(region: string, week: string, m: EntityManager = this.dataSource.manager, lock = false): Promise<Period | undefined> {
    const rows: Period[] = await m.query(
      `SELECT ${COLUMNS} FROM "${this.s}".survey_periods WHERE region = $1 AND week = $2${lock ? ' FOR UPDATE' : ''}`,
      [region, week],
    );
    return rows[0];
  }

  async list(region: string, limit: number, offset: number): Promise<{ items: Period[]; total: number }> {
    const items = await selectRows<Period>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM "${this.s}".survey_periods WHERE region = $1 ORDER BY week DESC LIMIT $2 OFFSET $3`,
      [region, limit, offset],
    );
    const total = await countOf(this.dataSource, `SELECT count(*)::int AS n FROM "${this.s}".survey_periods WHERE region = $1`, [region]);
    return { items, total };
  }

  /**
   * Refuses (409) a change to anything of an archived period. Holds a share lock on the period row
   * until the caller's transaction ends, so archiving waits for changes in flight and vice versa.
   */
  async assertWritable(m: EntityManager, region: string, week: string): Promise<void> {
    const rows: Array<{ state: PeriodState }> = await m.query(
      `SELECT state FROM "${this.s}".survey_periods WHERE region = $1 AND week = $2 FOR SHARE`,
      [region, week],
    );
    if (rows[0]?.state === 'archived') {
      throw conflict(`the survey period ${week} of ${region} is archived: its surveys, answers and callbacks can no longer change`, {
        period: { region, week, state: 'archived' },
      });
    }
  }

  async isArchived(m: EntityManager, region: string, week: string): Promise<boolean> {
    const rows: Array<{ state: PeriodState }> = await m.query(
      `SELECT state FROM "${this.s}".survey_periods WHERE region = $1 AND week = $2 FOR SHARE`,
      [region, week],
    );
    return rows[0]?.state === 'archived';
  }

  async saveStep(m: EntityManager, p: Period, to: PeriodState, by: string, at: Date, note?: string): Promise<void> {
    const column = { reviewed: 'reviewed', 'signed-off': 'signed_off', archived: 'archived', open: null }[to];
    if (!column) return;
    await m.query(
      `UPDATE "${this.s}".survey_periods SET state = $3, ${column}_by = $4, ${column}_at = $5,
         review_note = CASE WHEN $3 = 'reviewed' THEN $6 ELSE review_note END
       WHERE region = $1 AND week = $2`,
      [p.region, p.week, to, by, at, note ?? null],
    );
  }
}
