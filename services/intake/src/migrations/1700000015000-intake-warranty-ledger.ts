import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The warranty ledger (seed 003): the facts (downtime escalation measured per case episode, the
 * cause an engineer set on the case) and what they earn — one line per case and warranty it
 * extends, and the base end each extended warranty started from.
 */
export class IntakeWarrantyLedger1700000015000 implements MigrationInterface {
  name = 'IntakeWarrantyLedger1700000015000';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`CREATE TABLE "${s}".warranty_downtimes (
      clock_id uuid PRIMARY KEY,
      case_id uuid NOT NULL,
      contract_id text,
      from_at timestamptz NOT NULL,
      to_at timestamptz NOT NULL,
      minutes int NOT NULL CHECK (minutes >= 0)
    )`);
    await q.query(`CREATE INDEX warranty_downtimes_case ON "${s}".warranty_downtimes (case_id)`);
    await q.query(`CREATE TABLE "${s}".warranty_case_causes (
      case_id uuid PRIMARY KEY,
      case_number text,
      cause text NOT NULL CHECK (cause IN ('supplier','customer','third-party','force-majeure')),
      reason text NOT NULL,
      declared_minutes int CHECK (declared_minutes >= 0),
      asset_id text,
      contract_id text,
      classified_by text NOT NULL,
      classified_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE TABLE "${s}".warranty_extensions (
      case_id uuid NOT NULL,
      subject_type text NOT NULL CHECK (subject_type IN ('asset','contract')),
      subject_id text NOT NULL,
      case_number text,
      cause text,
      minutes int NOT NULL,
      days int NOT NULL CHECK (days >= 0),
      counted boolean NOT NULL,
      source text NOT NULL CHECK (source IN ('measured','declared')),
      note text NOT NULL,
      classified_by text,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (case_id, subject_type, subject_id)
    )`);
    await q.query(`CREATE INDEX warranty_extensions_subject ON "${s}".warranty_extensions (subject_type, subject_id)`);
    await q.query(`CREATE TABLE "${s}".warranty_bases (
      subject_type text NOT NULL CHECK (subject_type IN ('asset','contract')),
      subject_id text NOT NULL,
      base_ends_on date NOT NULL,
      applied_ends_on date NOT NULL,
      PRIMARY KEY (subject_type, subject_id)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    for (const t of ['warranty_bases', 'warranty_extensions', 'warranty_case_causes', 'warranty_downtimes'])
      await q.query(`DROP TABLE "${s}".${t}`);
  }
}
