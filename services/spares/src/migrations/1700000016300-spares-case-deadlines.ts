import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The deadlines the case's SLA policy set (escalation's clock starts, per target): a part is
 * needed on site by the on-site deadline, else by the resolution deadline (issue 14).
 */
export class SparesCaseDeadlines1700000016300 implements MigrationInterface {
  name = 'SparesCaseDeadlines1700000016300';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`CREATE TABLE "${s}".case_policy_deadlines (
      case_id uuid NOT NULL,
      target text NOT NULL,
      due_at timestamptz NOT NULL,
      PRIMARY KEY (case_id, target)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "${q.connection.driver.schema!}".case_policy_deadlines`);
  }
}
