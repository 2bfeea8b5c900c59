import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Preventive maintenance (domain §9): plans per contract (what, how often, announced how far ahead
 * and how), checklists per asset model, and occurrences as timer rows — announced once, opened
 * once, whatever the number of replicas (claimed FOR UPDATE SKIP LOCKED).
 */
export class IntakeMaintenance1700000015200 implements MigrationInterface {
  name = 'IntakeMaintenance1700000015200';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`CREATE TABLE "${s}".maintenance_plans (
      id uuid PRIMARY KEY,
      contract_id text NOT NULL REFERENCES "${s}".contracts(id),
      customer_id text NOT NULL,
      region text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('inspection','remote-check','maintenance-record')),
      site_id text REFERENCES "${s}".sites(id),
      every_months int NOT NULL CHECK (every_months BETWEEN 1 AND 12),
      lead_days int NOT NULL CHECK (lead_days BETWEEN 0 AND 90),
      announce_by text CHECK (announce_by IN ('letter','fax','email')),
      complete_within_days int NOT NULL CHECK (complete_within_days BETWEEN 1 AND 90),
      starts_on date NOT NULL,
      ends_on date NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL,
      CHECK (ends_on >= starts_on)
    )`);
    await q.query(`CREATE INDEX maintenance_plans_contract ON "${s}".maintenance_plans (contract_id)`);
    await q.query(`CREATE TABLE "${s}".maintenance_occurrences (
      id uuid PRIMARY KEY,
      plan_id uuid NOT NULL REFERENCES "${s}".maintenance_plans(id),
      seq int NOT NULL,
      site_key text NOT NULL,
      contract_id text NOT NULL,
      kind text NOT NULL,
      scheduled_for timestamptz NOT NULL,
      announce_at timestamptz,
      announced_at timestamptz,
      due_by timestamptz,
      month text,
      from_at timestamptz,
      to_at timestamptz,
      opened_at timestamptz,
      UNIQUE (plan_id, seq, site_key)
    )`);
    await q.query(`CREATE INDEX maintenance_occurrences_due ON "${s}".maintenance_occurrences (scheduled_for) WHERE opened_at IS NULL`);
    await q.query(
      `CREATE INDEX maintenance_occurrences_announce ON "${s}".maintenance_occurrences (announce_at) WHERE announced_at IS NULL AND announce_at IS NOT NULL`,
    );
    await q.query(`CREATE TABLE "${s}".model_checklists (
      model text PRIMARY KEY,
      items jsonb NOT NULL,
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    for (const t of ['model_checklists', 'maintenance_occurrences', 'maintenance_plans']) await q.query(`DROP TABLE "${s}".${t}`);
  }
}
