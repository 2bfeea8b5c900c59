import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff notices (escalation rungs, SLA warnings and breaches, major cases, late hand-offs) go to
 * roles; `role_recipients` says who holds a role in a region and on which channels. The
 * one-per-case uniqueness only ever meant the customer's acknowledgement: a role may be told
 * about the same case many times (every rung, every reopened episode).
 */
export class NotifyStaffNotices1700000000100 implements MigrationInterface {
  name = 'NotifyStaffNotices1700000000100';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`DROP INDEX "${s}".notifications_once`);
    await q.query(
      `CREATE UNIQUE INDEX notifications_ack_once ON "${s}".notifications (case_id, template, recipient) WHERE template = 'case-acknowledgement'`,
    );
    await q.query(`ALTER TABLE "${s}".notifications ADD COLUMN subject text, ADD COLUMN body text, ADD COLUMN role text`);
    await q.query(`CREATE INDEX notifications_case ON "${s}".notifications (case_id, created_at)`);
    await q.query(`CREATE TABLE "${s}".role_recipients (
      region text NOT NULL,
      role text NOT NULL,
      channel text NOT NULL CHECK (channel IN ('in-app','email','sms')),
      address text NOT NULL,
      PRIMARY KEY (region, role, channel, address)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`DROP TABLE "${s}".role_recipients`);
    await q.query(`DROP INDEX "${s}".notifications_case`);
    await q.query(`ALTER TABLE "${s}".notifications DROP COLUMN subject, DROP COLUMN body, DROP COLUMN role`);
    await q.query(`DROP INDEX "${s}".notifications_ack_once`);
    await q.query(`CREATE UNIQUE INDEX notifications_once ON "${s}".notifications (case_id, template, recipient)`);
  }
}
