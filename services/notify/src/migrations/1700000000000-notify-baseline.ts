import { messagingTablesSql } from '@aftersales/messaging';
import { idempotencyTableSql } from '@aftersales/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class NotifyBaseline1700000000000 implements MigrationInterface {
  name = 'NotifyBaseline1700000000000';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    for (const sql of messagingTablesSql(s)) await q.query(sql);
    await q.query(idempotencyTableSql(s));
    await q.query(`CREATE TABLE "${s}".notifications (
      id uuid PRIMARY KEY,
      case_id uuid,
      customer_id text,
      region text NOT NULL,
      template text NOT NULL,
      channel text NOT NULL,
      recipient text NOT NULL,
      status text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    // one acknowledgement per case, whatever the redeliveries
    await q.query(`CREATE UNIQUE INDEX notifications_once ON "${s}".notifications (case_id, template, recipient)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "${q.connection.driver.schema!}".notifications`);
  }
}
