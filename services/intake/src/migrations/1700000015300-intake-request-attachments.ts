import { MigrationInterface, QueryRunner } from 'typeorm';

/** Files a customer or agent uploads to a request (the portal's attachments) live beside the mail attachments. */
export class IntakeRequestAttachments1700000015300 implements MigrationInterface {
  name = 'IntakeRequestAttachments1700000015300';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`ALTER TABLE "${s}".attachments DROP CONSTRAINT attachments_owner_kind_check`);
    await q.query(`ALTER TABLE "${s}".attachments ADD CONSTRAINT attachments_owner_kind_check
      CHECK (owner_kind IN ('email', 'voicemail', 'request'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`DELETE FROM "${s}".attachments WHERE owner_kind = 'request'`);
    await q.query(`ALTER TABLE "${s}".attachments DROP CONSTRAINT attachments_owner_kind_check`);
    await q.query(`ALTER TABLE "${s}".attachments ADD CONSTRAINT attachments_owner_kind_check
      CHECK (owner_kind IN ('email', 'voicemail'))`);
  }
}
