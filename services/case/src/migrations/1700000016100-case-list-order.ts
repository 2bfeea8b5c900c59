import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The staff case list: a region's cases newest first (`GET /cases`, ordered by opened_at DESC, id)
 * read from an index in that order, and its capped total counted from the same index alone,
 * instead of sorting the whole region on every page.
 */
export class CaseListOrder1700000016100 implements MigrationInterface {
  name = 'CaseListOrder1700000016100';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`CREATE INDEX cases_region_opened ON "${s}".cases (region, opened_at DESC, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`DROP INDEX "${s}".cases_region_opened`);
  }
}
