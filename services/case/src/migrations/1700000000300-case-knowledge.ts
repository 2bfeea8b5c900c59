import { weightedTsvectorSql } from '@aftersales/fulltext';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Knowledge base: one row per article version (draft → published → superseded by the next published
 * version, or withdrawn). The search_* columns hold `toSearchDocument` output written by the service; the
 * tsvector over them is generated: title and error codes weigh A, symptom B, solution C.
 */
export class CaseKnowledge1700000000300 implements MigrationInterface {
  name = 'CaseKnowledge1700000000300';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`CREATE TABLE "${s}".knowledge_articles (
      id uuid NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      status text NOT NULL CHECK (status IN ('draft','published','withdrawn','superseded')),
      title text NOT NULL,
      product_line text,
      product_model text,
      symptom text NOT NULL,
      error_codes text[] NOT NULL DEFAULT '{}',
      error_code_keys text[] NOT NULL DEFAULT '{}',
      solution text NOT NULL DEFAULT '',
      language text NOT NULL CHECK (language IN ('zh-CN','en')),
      source_case_id uuid REFERENCES "${s}".cases (id),
      author text NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      published_at timestamptz,
      published_by text,
      withdrawn_at timestamptz,
      withdrawn_by text,
      withdraw_reason text,
      search_a text NOT NULL DEFAULT '',
      search_b text NOT NULL DEFAULT '',
      search_c text NOT NULL DEFAULT '',
      search tsvector GENERATED ALWAYS AS (${weightedTsvectorSql({ A: 'search_a', B: 'search_b', C: 'search_c' })}) STORED,
      PRIMARY KEY (id, version),
      CHECK ((status = 'draft') = (published_at IS NULL))
    )`);
    // at most one draft and one published version per article
    await q.query(`CREATE UNIQUE INDEX knowledge_articles_one_draft ON "${s}".knowledge_articles (id) WHERE status = 'draft'`);
    await q.query(`CREATE UNIQUE INDEX knowledge_articles_one_published ON "${s}".knowledge_articles (id) WHERE status = 'published'`);
    await q.query(`CREATE INDEX knowledge_articles_search ON "${s}".knowledge_articles USING gin (search)`);
    await q.query(`CREATE INDEX knowledge_articles_codes ON "${s}".knowledge_articles USING gin (error_code_keys)`);
    await q.query(
      `CREATE INDEX knowledge_articles_source_case ON "${s}".knowledge_articles (source_case_id) WHERE source_case_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`DROP TABLE "${s}".knowledge_articles`);
  }
}
