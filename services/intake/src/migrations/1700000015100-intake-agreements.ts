import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Maintenance agreements after the warranty (seed 004): their terms, the assets they cover (no two
 * on one asset on the same day), their renewal reminders as timer rows; and the chargeable mark a
 * request gets when its asset has neither warranty nor agreement.
 */
export class IntakeAgreements1700000015100 implements MigrationInterface {
  name = 'IntakeAgreements1700000015100';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`CREATE TABLE "${s}".maintenance_agreements (
      id uuid PRIMARY KEY,
      customer_id text NOT NULL REFERENCES "${s}".customers(id),
      region text NOT NULL,
      contract_id text REFERENCES "${s}".contracts(id),
      coverage text NOT NULL CHECK (coverage IN ('business-hours','7x24')),
      calendar_id text REFERENCES "${s}".calendars(id),
      policy_id text,
      price numeric(14,2) NOT NULL CHECK (price >= 0),
      currency text NOT NULL,
      starts_on date NOT NULL,
      ends_on date NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL,
      CHECK (ends_on > starts_on)
    )`);
    await q.query(`CREATE INDEX maintenance_agreements_customer ON "${s}".maintenance_agreements (customer_id)`);
    await q.query(`CREATE TABLE "${s}".agreement_assets (
      agreement_id uuid NOT NULL REFERENCES "${s}".maintenance_agreements(id),
      asset_id text NOT NULL REFERENCES "${s}".assets(id),
      starts_on date NOT NULL,
      ends_on date NOT NULL,
      PRIMARY KEY (agreement_id, asset_id)
    )`);
    await q.query(`CREATE INDEX agreement_assets_asset ON "${s}".agreement_assets (asset_id, starts_on)`);
    await q.query(`CREATE TABLE "${s}".agreement_reminders (
      agreement_id uuid NOT NULL REFERENCES "${s}".maintenance_agreements(id),
      days_before int NOT NULL CHECK (days_before >= 0),
      due_at timestamptz NOT NULL,
      sent_at timestamptz,
      PRIMARY KEY (agreement_id, days_before)
    )`);
    await q.query(`CREATE INDEX agreement_reminders_due ON "${s}".agreement_reminders (due_at) WHERE sent_at IS NULL`);
    await q.query(`ALTER TABLE "${s}".service_requests ADD COLUMN chargeable boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`ALTER TABLE "${s}".service_requests DROP COLUMN chargeable`);
    for (const t of ['agreement_reminders', 'agreement_assets', 'maintenance_agreements']) await q.query(`DROP TABLE "${s}".${t}`);
  }
}
