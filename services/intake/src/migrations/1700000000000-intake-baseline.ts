import { messagingTablesSql } from '@aftersales/messaging';
import { idempotencyTableSql } from '@aftersales/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class IntakeBaseline1700000000000 implements MigrationInterface {
  name = 'IntakeBaseline1700000000000';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    for (const sql of messagingTablesSql(s)) await q.query(sql);
    await q.query(idempotencyTableSql(s));
    await q.query(`CREATE TABLE "${s}".service_requests (
      id uuid PRIMARY KEY,
      region text NOT NULL,
      customer_id text NOT NULL,
      contact jsonb NOT NULL,
      channel text NOT NULL,
      severity text NOT NULL CHECK (severity IN ('P1','P2','P3','P4')),
      symptom text NOT NULL,
      error_codes text[] NOT NULL DEFAULT '{}',
      product_model text,
      serial_number text,
      received_at timestamptz NOT NULL,
      created_by text NOT NULL
    )`);
    await q.query(`CREATE INDEX service_requests_customer ON "${s}".service_requests (customer_id, received_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`DROP TABLE "${s}".service_requests`);
  }
}
