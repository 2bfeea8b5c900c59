import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monthly maintenance records (每月提供维护记录, seed 004) per contract, made at month end from the
 * month's cases, inspections, remote work and parts; and the parts installed on cases, as spares
 * reports them.
 */
export class CaseMaintenanceRecords1700000015200 implements MigrationInterface {
  name = 'CaseMaintenanceRecords1700000015200';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`CREATE TABLE "${s}".case_parts_used (
      request_id uuid PRIMARY KEY,
      case_id uuid NOT NULL,
      part_number text NOT NULL,
      part_class text NOT NULL,
      quantity int NOT NULL CHECK (quantity > 0),
      installed_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX case_parts_used_case ON "${s}".case_parts_used (case_id)`);
    await q.query(`CREATE TABLE "${s}".maintenance_records (
      id uuid PRIMARY KEY,
      contract_id text NOT NULL,
      customer_id text NOT NULL,
      region text NOT NULL,
      month text NOT NULL,
      from_at timestamptz NOT NULL,
      to_at timestamptz NOT NULL,
      counts jsonb NOT NULL,
      lines jsonb NOT NULL,
      contact jsonb,
      status text NOT NULL CHECK (status IN ('draft','reviewed','sent','archived')),
      generated_at timestamptz NOT NULL,
      reviewed_by text, reviewed_at timestamptz,
      sent_by text, sent_at timestamptz,
      archived_by text, archived_at timestamptz,
      UNIQUE (contract_id, month)
    )`);
    await q.query(`CREATE INDEX maintenance_records_region ON "${s}".maintenance_records (region, month)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`DROP TABLE "${s}".maintenance_records`);
    await q.query(`DROP TABLE "${s}".case_parts_used`);
  }
}
