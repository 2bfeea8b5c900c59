import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The diagnosis milestone (确诊): `cases.diagnosed_at` is when the current episode was first
 * diagnosed (a reopen clears it), and the work log gets the kind `diagnosis` for the entries that
 * record it.
 */
export class CaseDiagnosis1700000000400 implements MigrationInterface {
  name = 'CaseDiagnosis1700000000400';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`ALTER TABLE "${s}".cases ADD COLUMN diagnosed_at timestamptz`);
    await q.query(`ALTER TABLE "${s}".case_worklog DROP CONSTRAINT case_worklog_kind_check`);
    await q.query(`ALTER TABLE "${s}".case_worklog ADD CONSTRAINT case_worklog_kind_check
      CHECK (kind IN ('note','call','email','status','assignment','visit','vendor','report','system','diagnosis'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    // the old check has no room for them: diagnosis entries are kept as system entries
    await q.query(`UPDATE "${s}".case_worklog SET kind = 'system' WHERE kind = 'diagnosis'`);
    await q.query(`ALTER TABLE "${s}".case_worklog DROP CONSTRAINT case_worklog_kind_check`);
    await q.query(`ALTER TABLE "${s}".case_worklog ADD CONSTRAINT case_worklog_kind_check
      CHECK (kind IN ('note','call','email','status','assignment','visit','vendor','report','system'))`);
    await q.query(`ALTER TABLE "${s}".cases DROP COLUMN diagnosed_at`);
  }
}
