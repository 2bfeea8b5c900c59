import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { DataSource, EntityManager } from 'typeorm';
import { ServiceConfig } from '@aftersales/config';
import { selectRows } from '@aftersales/persistence';
import { ExclusionRule } from '../domain/exclusion';
import { countOf } from '../shared/sql';

export interface StoredRule extends ExclusionRule {
  createdBy: string;
  createdAt: Date;
}

const COLUMNS = `id, name, region, criteria, created_by AS "createdBy", created_at AS "createdAt"`;

/** Every SQL statement on `survey_exclusion_rules`. */
@Injectable()
export class ExclusionRulesRepository {
  private readonly s: string;
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly dataSource: DataSource,
  ) {
    this.s = config.database.schema;
  }

  async insert(m: EntityManager, r: StoredRule): Promise<void> {
    await m.query(
      `INSERT INTO "${this.s}".survey_exclusion_rules (id, name, region, criteria, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [r.id, r.name, r.region, JSON.stringify(r.criteria), r.createdBy, r.createdAt],
    );
  }

  /** The rules that apply in a region: its own and those for every region, oldest first. */
  async forRegion(region: string, m: EntityManager = this.dataSource.manager): Promise<StoredRule[]> {
    return m.query(
      `SELECT ${COLUMNS} FROM "${this.s}".survey_exclusion_rules WHERE region = $1 OR region IS NULL ORDER BY created_at, id`,
      [region],
    );
  }

  /** A page of the rules visible in a region (undefined: every rule), oldest first. */
  async page(region: string | undefined, limit: number, offset: number): Promise<{ items: StoredRule[]; total: number }> {
    const where = region === undefined ? '' : 'WHERE region = $3 OR region IS NULL';
    const params: unknown[] = region === undefined ? [limit, offset] : [limit, offset, region];
    const items = await selectRows<StoredRule>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM "${this.s}".survey_exclusion_rules ${where} ORDER BY created_at, id LIMIT $1 OFFSET $2`,
      params,
    );
    const total = await countOf(
      this.dataSource,
      `SELECT count(*)::int AS n FROM "${this.s}".survey_exclusion_rules ${region === undefined ? '' : 'WHERE region = $1 OR region IS NULL'}`,
      region === undefined ? [] : [region],
    );
    return { items, total };
  }

  async get(id: string): Promise<StoredRule | undefined> {
    const rows: StoredRule[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM "${this.s}".survey_exclusion_rules WHERE id = $1`, [id]);
    return rows[0];
  }

  async delete(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM "${this.s}".survey_exclusion_rules WHERE id = $1`, [id]);
  }
}
