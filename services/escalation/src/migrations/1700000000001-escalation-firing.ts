import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The firing engine: a clock remembers the policy version it started with and the calendar it
 * counts on; `clock_firings` records each fired event once (`PRIMARY KEY (clock_id, event_key)`),
 * which makes every rung, warning and breach fire exactly once across replicas and crashes.
 */
export class EscalationFiring1700000000001 implements MigrationInterface {
  name = 'EscalationFiring1700000000001';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`ALTER TABLE "${s}".sla_clocks
      ADD COLUMN policy_id text,
      ADD COLUMN policy_version integer,
      ADD COLUMN calendar_id text`);
    await q.query(`CREATE TABLE "${s}".clock_firings (
      clock_id uuid NOT NULL REFERENCES "${s}".sla_clocks (id) ON DELETE CASCADE,
      event_key text NOT NULL,
      fired_at timestamptz NOT NULL,
      due_at timestamptz NOT NULL,
      PRIMARY KEY (clock_id, event_key)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`DROP TABLE "${s}".clock_firings`);
    await q.query(`ALTER TABLE "${s}".sla_clocks DROP COLUMN policy_id, DROP COLUMN policy_version, DROP COLUMN calendar_id`);
  }
}
