import { messagingTablesSql } from '@aftersales/messaging';
import { idempotencyTableSql } from '@aftersales/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class SurveyBaseline1700000000000 implements MigrationInterface {
  name = 'SurveyBaseline1700000000000';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    for (const sql of messagingTablesSql(s)) await q.query(sql);
    await q.query(idempotencyTableSql(s));
    // who to survey once the case closes: the weekly batch picks closed ones from here
    await q.query(`CREATE TABLE "${s}".survey_cases (
      case_id uuid PRIMARY KEY,
      case_number text NOT NULL,
      customer_id text NOT NULL,
      contact jsonb NOT NULL,
      region text NOT NULL,
      opened_at timestamptz NOT NULL,
      closed_at timestamptz
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "${q.connection.driver.schema!}".survey_cases`);
  }
}
