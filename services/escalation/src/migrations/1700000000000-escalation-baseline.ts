import { messagingTablesSql } from '@aftersales/messaging';
import { idempotencyTableSql } from '@aftersales/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class EscalationBaseline1700000000000 implements MigrationInterface {
  name = 'EscalationBaseline1700000000000';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    for (const sql of messagingTablesSql(s)) await q.query(sql);
    await q.query(idempotencyTableSql(s));
    await q.query(`CREATE TABLE "${s}".sla_clocks (
      id uuid PRIMARY KEY,
      case_id uuid NOT NULL,
      region text NOT NULL,
      severity text NOT NULL,
      target text NOT NULL,
      state text NOT NULL,
      started_at timestamptz NOT NULL,
      due_at timestamptz NOT NULL,
      next_due_at timestamptz,
      UNIQUE (case_id, target)
    )`);
    // the firing loop claims due clocks in next_due_at order
    await q.query(`CREATE INDEX sla_clocks_next_due ON "${s}".sla_clocks (next_due_at) WHERE state = 'running'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "${q.connection.driver.schema!}".sla_clocks`);
  }
}
