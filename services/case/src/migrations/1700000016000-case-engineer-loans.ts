import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Engineers lent between regions with deployments of their own (architecture §9): the asking
 * region's row follows its case's loan, the lending region's row is what its manager answers and
 * where the loaned engineer's work is recorded before it travels back.
 */
export class CaseEngineerLoans1700000016000 implements MigrationInterface {
  name = 'CaseEngineerLoans1700000016000';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`CREATE TABLE "${s}".engineer_loans (
      id uuid NOT NULL,
      side text NOT NULL CHECK (side IN ('asking', 'lending')),
      from_region text NOT NULL,
      to_region text NOT NULL,
      case_id uuid NOT NULL,
      case_number text,
      severity text NOT NULL,
      summary text NOT NULL,
      skills text[] NOT NULL DEFAULT '{}',
      state text NOT NULL CHECK (state IN ('requested', 'approved', 'declined', 'completed')),
      engineer_id text,
      engineer_name text,
      reason text,
      requested_by text NOT NULL,
      decided_by text,
      worked_minutes integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (id, side)
    )`);
    await q.query(`CREATE INDEX engineer_loans_by_case ON "${s}".engineer_loans (case_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "${q.connection.driver.schema!}".engineer_loans`);
  }
}
