import { MigrationInterface, QueryRunner } from 'typeorm';

/** An on-call rotation may take its shifts from an iCalendar feed (uploaded or fetched from a URL) alongside the weekly schedule. */
export class NotifyOnCallFeeds1700000015500 implements MigrationInterface {
  name = 'NotifyOnCallFeeds1700000015500';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`ALTER TABLE "${s}".rotations ADD COLUMN ical jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`ALTER TABLE "${s}".rotations DROP COLUMN ical`);
  }
}
