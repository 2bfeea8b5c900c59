import { messagingTablesSql } from '@aftersales/messaging';
import { idempotencyTableSql } from '@aftersales/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CaseBaseline1700000000000 implements MigrationInterface {
  name = 'CaseBaseline1700000000000';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    for (const sql of messagingTablesSql(s)) await q.query(sql);
    await q.query(idempotencyTableSql(s));
    await q.query(`CREATE SEQUENCE "${s}".case_number_seq`);
    await q.query(`CREATE TABLE "${s}".cases (
      id uuid PRIMARY KEY,
      case_number text NOT NULL UNIQUE,
      request_id uuid NOT NULL UNIQUE,
      region text NOT NULL,
      customer_id text NOT NULL,
      contact jsonb NOT NULL,
      severity text NOT NULL CHECK (severity IN ('P1','P2','P3','P4')),
      symptom text NOT NULL,
      serial_number text,
      status text NOT NULL,
      opened_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX cases_customer ON "${s}".cases (customer_id, opened_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`DROP TABLE "${s}".cases`);
    await q.query(`DROP SEQUENCE "${s}".case_number_seq`);
  }
}
