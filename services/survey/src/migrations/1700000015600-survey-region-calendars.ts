import { MigrationInterface, QueryRunner } from 'typeorm';

/** The registry's business calendars, for the weekly batch day and callback deadlines of each region. */
export class SurveyRegionCalendars1700000015600 implements MigrationInterface {
  name = 'SurveyRegionCalendars1700000015600';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`CREATE TABLE "${s}".calendars (id text PRIMARY KEY, definition jsonb NOT NULL, updated_at timestamptz NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`DROP TABLE "${s}".calendars`);
  }
}
