import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One clock per case and target (`clocks/clock-targets.ts`): new cases get `ladder:<kind>` (the
 * ladder's clock, stopped when the target it measures is met, e.g. at the diagnosis), separate
 * `diagnosis` / `resolution` clocks, and a `downtime` clock for P1 cases under a contract, which
 * measures no target and so has no due time. `case_waits` records each wait of a case's episode
 * whether or not a clock is running then (the ladder's may have stopped at the diagnosis): a clock
 * started late (the on-site one, at a dispatch) takes the waits since the report from there.
 * Rows of the main clock (`ladder`) started before keep their meaning; a reopen starts the new rows.
 */
export class EscalationTargetClocks1700000000004 implements MigrationInterface {
  name = 'EscalationTargetClocks1700000000004';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`ALTER TABLE "${s}".sla_clocks ALTER COLUMN due_at DROP NOT NULL`);
    await q.query(`CREATE TABLE "${s}".case_waits (
      case_id uuid NOT NULL,
      episode integer NOT NULL,
      from_at timestamptz NOT NULL,
      to_at timestamptz,
      reason text NOT NULL CHECK (reason IN ('customer','parts','vendor')),
      PRIMARY KEY (case_id, episode, from_at),
      CHECK (to_at IS NULL OR to_at >= from_at)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`DROP TABLE "${s}".case_waits`);
    await q.query(`DELETE FROM "${s}".sla_clocks WHERE due_at IS NULL`);
    await q.query(`ALTER TABLE "${s}".sla_clocks ALTER COLUMN due_at SET NOT NULL`);
  }
}
