import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inspection work orders (巡检 and remote checks, domain §9): a case of type `inspection` with its
 * checklist (results per item), the findings that opened ordinary cases, and the report's two
 * signatures.
 */
export class CaseInspections1700000015100 implements MigrationInterface {
  name = 'CaseInspections1700000015100';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`ALTER TABLE "${s}".cases DROP CONSTRAINT IF EXISTS cases_case_type_check`);
    await q.query(
      `ALTER TABLE "${s}".cases ADD CONSTRAINT cases_case_type_check CHECK (case_type IN ('incident','complaint','inspection'))`,
    );
    await q.query(`CREATE TABLE "${s}".inspections (
      id uuid PRIMARY KEY,
      case_id uuid NOT NULL UNIQUE REFERENCES "${s}".cases(id),
      contract_id text NOT NULL,
      site_id text,
      site_name text,
      kind text NOT NULL CHECK (kind IN ('on-site','remote')),
      assets jsonb NOT NULL,
      scheduled_for timestamptz NOT NULL,
      due_by timestamptz NOT NULL,
      status text NOT NULL CHECK (status IN ('open','signed')),
      signed_at timestamptz
    )`);
    await q.query(`CREATE INDEX inspections_contract ON "${s}".inspections (contract_id, scheduled_for)`);
    await q.query(`CREATE TABLE "${s}".inspection_items (
      inspection_id uuid NOT NULL REFERENCES "${s}".inspections(id),
      item_id text NOT NULL,
      position int NOT NULL,
      asset_id text,
      model text,
      text text NOT NULL,
      result text CHECK (result IN ('pass','fail','not-applicable')),
      note text,
      recorded_by text,
      recorded_at timestamptz,
      PRIMARY KEY (inspection_id, item_id)
    )`);
    await q.query(`CREATE TABLE "${s}".inspection_findings (
      id uuid PRIMARY KEY,
      inspection_id uuid NOT NULL REFERENCES "${s}".inspections(id),
      item_id text,
      symptom text NOT NULL,
      severity text NOT NULL,
      request_id uuid NOT NULL UNIQUE,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE TABLE "${s}".inspection_signatures (
      inspection_id uuid NOT NULL REFERENCES "${s}".inspections(id),
      party text NOT NULL CHECK (party IN ('customer','engineer')),
      signer_name text NOT NULL,
      signed_by text NOT NULL,
      signed_at timestamptz NOT NULL,
      PRIMARY KEY (inspection_id, party)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    for (const t of ['inspection_signatures', 'inspection_findings', 'inspection_items', 'inspections'])
      await q.query(`DROP TABLE "${s}".${t}`);
    await q.query(`ALTER TABLE "${s}".cases DROP CONSTRAINT cases_case_type_check`);
    await q.query(`ALTER TABLE "${s}".cases ADD CONSTRAINT cases_case_type_check CHECK (case_type IN ('incident','complaint'))`);
  }
}
