import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Task deadlines other services hand to escalation (survey callbacks, purchase-plan stock-ins):
 * one row per task (kind + the task's id), claimed when due with FOR UPDATE SKIP LOCKED and fired
 * once. A task done before its deadline arrived is kept as `met` with no due time, so the late
 * request that follows starts nothing.
 */
export class EscalationDeadlines1700000000100 implements MigrationInterface {
  name = 'EscalationDeadlines1700000000100';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`CREATE TABLE "${s}".deadlines (
      id uuid PRIMARY KEY,
      kind text NOT NULL,
      subject_id uuid NOT NULL,
      case_id uuid,
      region text NOT NULL,
      due_at timestamptz,
      notify_roles text[] NOT NULL DEFAULT '{}',
      state text NOT NULL CHECK (state IN ('open','overdue','met')),
      recorded_at timestamptz NOT NULL,
      fired_at timestamptz,
      met_at timestamptz,
      UNIQUE (kind, subject_id),
      CHECK (state <> 'open' OR due_at IS NOT NULL)
    )`);
    await q.query(`CREATE INDEX deadlines_due ON "${s}".deadlines (due_at) WHERE state = 'open'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "${q.connection.driver.schema!}".deadlines`);
  }
}
