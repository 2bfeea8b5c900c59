import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who caused a case's downtime (seed 003: only supplier-caused stoppages extend the warranty):
 * the current cause on the case, and every setting or correction with who, why and when.
 */
export class CaseDowntime1700000015000 implements MigrationInterface {
  name = 'CaseDowntime1700000015000';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    const causes = `('supplier','customer','third-party','force-majeure')`;
    await q.query(`ALTER TABLE "${s}".cases ADD COLUMN downtime_cause text CHECK (downtime_cause IN ${causes})`);
    await q.query(`CREATE TABLE "${s}".case_downtime_classifications (
      id uuid PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES "${s}".cases(id),
      cause text NOT NULL CHECK (cause IN ${causes}),
      previous_cause text,
      reason text NOT NULL,
      periods jsonb,
      actor_subject text NOT NULL,
      actor_role text NOT NULL,
      at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX case_downtime_classifications_case ON "${s}".case_downtime_classifications (case_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`DROP TABLE "${s}".case_downtime_classifications`);
    await q.query(`ALTER TABLE "${s}".cases DROP COLUMN downtime_cause`);
  }
}
