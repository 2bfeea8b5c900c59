import { weightedTsvectorSql } from '@aftersales/fulltext';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Intake's copy of the published knowledge articles (from case.knowledge.*), searched to suggest a known
 * solution while a request is taken. The search_* columns hold `toSearchDocument` output; the tsvector over
 * them is generated: title and error codes weigh A, symptom B, solution C.
 */
export class IntakeKnowledge1700000000400 implements MigrationInterface {
  name = 'IntakeKnowledge1700000000400';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`CREATE TABLE "${s}".knowledge_articles (
      article_id uuid PRIMARY KEY,
      version integer NOT NULL CHECK (version >= 1),
      status text NOT NULL CHECK (status IN ('published','withdrawn')),
      title text NOT NULL,
      product_line text,
      product_model text,
      symptom text NOT NULL,
      error_codes text[] NOT NULL DEFAULT '{}',
      error_code_keys text[] NOT NULL DEFAULT '{}',
      solution text NOT NULL,
      language text NOT NULL CHECK (language IN ('zh-CN','en')),
      source_case_id uuid,
      published_at timestamptz NOT NULL,
      withdrawn_at timestamptz,
      search_a text NOT NULL DEFAULT '',
      search_b text NOT NULL DEFAULT '',
      search_c text NOT NULL DEFAULT '',
      search tsvector GENERATED ALWAYS AS (${weightedTsvectorSql({ A: 'search_a', B: 'search_b', C: 'search_c' })}) STORED,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX knowledge_articles_search ON "${s}".knowledge_articles USING gin (search)`);
    await q.query(`CREATE INDEX knowledge_articles_codes ON "${s}".knowledge_articles USING gin (error_code_keys)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`DROP TABLE "${s}".knowledge_articles`);
  }
}
