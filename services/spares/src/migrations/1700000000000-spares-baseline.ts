import { messagingTablesSql } from '@aftersales/messaging';
import { idempotencyTableSql } from '@aftersales/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class SparesBaseline1700000000000 implements MigrationInterface {
  name = 'SparesBaseline1700000000000';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    for (const sql of messagingTablesSql(s)) await q.query(sql);
    await q.query(idempotencyTableSql(s));
    // the cases a depot may have to serve: region decides the depot, serial and severity the part and deadline
    await q.query(`CREATE TABLE "${s}".case_demands (
      case_id uuid PRIMARY KEY,
      region text NOT NULL,
      severity text NOT NULL,
      serial_number text,
      opened_at timestamptz NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "${q.connection.driver.schema!}".case_demands`);
  }
}
