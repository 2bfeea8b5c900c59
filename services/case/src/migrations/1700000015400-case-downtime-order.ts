import { MigrationInterface, QueryRunner } from 'typeorm';

/** Classifications recorded at the same instant (a fixed clock, one transaction) keep the order they were made in. */
export class CaseDowntimeOrder1700000015400 implements MigrationInterface {
  name = 'CaseDowntimeOrder1700000015400';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`ALTER TABLE "${s}".case_downtime_classifications ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "${q.connection.driver.schema!}".case_downtime_classifications DROP COLUMN seq`);
  }
}
