import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { DataSource, EntityManager } from 'typeorm';
import { Language, TemplateId, TemplateSource } from '../domain';
import { selectRows } from '@aftersales/persistence';

export interface StoredTemplate extends TemplateSource {
  id: TemplateId;
  language: Language;
  /** 0: the built-in default (nothing saved yet) */
  version: number;
  createdAt: Date | null;
  createdBy: string | null;
}

const COLUMNS = `id, language, version, subject, text, html, created_at AS "createdAt", created_by AS "createdBy"`;

/** Saved template versions; the newest per (id, language) is the one in use. */
@Injectable()
export class TemplateRepository {
  private readonly t: string;

  constructor(
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    private readonly db: DataSource,
  ) {
    this.t = `"${config.database.schema}".templates`;
  }

  /** The newest saved version of each language of a template (none saved: absent). */
  async current(m: EntityManager | DataSource, id: TemplateId): Promise<StoredTemplate[]> {
    return m.query(`SELECT DISTINCT ON (language) ${COLUMNS} FROM ${this.t} WHERE id = $1 ORDER BY language, version DESC`, [id]);
  }

  async allCurrent(): Promise<StoredTemplate[]> {
    return this.db.query(`SELECT DISTINCT ON (id, language) ${COLUMNS} FROM ${this.t} ORDER BY id, language, version DESC`);
  }

  async versions(id: TemplateId, language?: Language): Promise<StoredTemplate[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM ${this.t} WHERE id = $1 AND ($2::text IS NULL OR language = $2) ORDER BY language, version DESC`,
      [id, language ?? null],
    );
  }

  /** Appends the next version (serialised per template by a transaction-level advisory lock). */
  async save(m: EntityManager, id: TemplateId, language: Language, t: TemplateSource, by: string, at: Date): Promise<StoredTemplate> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${this.t}:${id}:${language}`]);
    const [row] = await selectRows<StoredTemplate>(
      m,
      `INSERT INTO ${this.t} (id, language, version, subject, text, html, created_at, created_by)
       SELECT $1, $2, COALESCE(max(version), 0) + 1, $3, $4, $5, $6, $7 FROM ${this.t} WHERE id = $1 AND language = $2
       RETURNING ${COLUMNS}`,
      [id, language, t.subject, t.text, t.html, at, by],
    );
    if (!row) throw new Error(`template ${id}/${language} was not saved`);
    return row;
  }
}
