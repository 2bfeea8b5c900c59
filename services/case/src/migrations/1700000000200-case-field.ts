import { MigrationInterface, QueryRunner } from 'typeorm';

/** Field work: on-site visits, customer service reports with their two signatures, upstream vendor cases. */
export class CaseField1700000000200 implements MigrationInterface {
  name = 'CaseField1700000000200';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`CREATE TABLE "${s}".field_visits (
      id uuid PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES "${s}".cases (id),
      engineer_id text NOT NULL,
      planned_arrival_at timestamptz NOT NULL,
      arrived_at timestamptz,
      completed_at timestamptz,
      note text,
      work_done text,
      dispatched_by text NOT NULL,
      dispatched_at timestamptz NOT NULL,
      CHECK (completed_at IS NULL OR (arrived_at IS NOT NULL AND completed_at >= arrived_at AND work_done IS NOT NULL))
    )`);
    await q.query(`CREATE INDEX field_visits_case ON "${s}".field_visits (case_id, planned_arrival_at)`);

    await q.query(`CREATE TABLE "${s}".service_reports (
      id uuid PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES "${s}".cases (id),
      visit_id uuid NOT NULL UNIQUE REFERENCES "${s}".field_visits (id),
      symptom text NOT NULL,
      diagnosis text NOT NULL,
      work_done text NOT NULL,
      parts_used jsonb NOT NULL DEFAULT '[]',
      customer_name text NOT NULL,
      engineer_name text NOT NULL,
      status text NOT NULL CHECK (status IN ('awaiting-signatures','signed')),
      created_by text NOT NULL,
      created_at timestamptz NOT NULL,
      signed_at timestamptz
    )`);
    await q.query(`CREATE INDEX service_reports_case ON "${s}".service_reports (case_id)`);

    // one signature per party; an image or a typed name, never both
    await q.query(`CREATE TABLE "${s}".service_report_signatures (
      report_id uuid NOT NULL REFERENCES "${s}".service_reports (id),
      party text NOT NULL CHECK (party IN ('customer','engineer')),
      method text NOT NULL CHECK (method IN ('image','typed')),
      signer_name text NOT NULL,
      image bytea,
      image_type text CHECK (image_type IN ('image/png','image/jpeg')),
      signed_by text NOT NULL,
      signed_at timestamptz NOT NULL,
      PRIMARY KEY (report_id, party),
      CHECK ((method = 'image') = (image IS NOT NULL AND image_type IS NOT NULL))
    )`);

    await q.query(`CREATE TABLE "${s}".vendor_cases (
      id uuid PRIMARY KEY,
      case_id uuid NOT NULL UNIQUE REFERENCES "${s}".cases (id),
      vendor text NOT NULL,
      vendor_case_number text NOT NULL,
      vendor_status text NOT NULL,
      opened_by text NOT NULL,
      opened_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE TABLE "${s}".vendor_case_updates (
      id uuid PRIMARY KEY,
      seq bigint GENERATED ALWAYS AS IDENTITY,
      vendor_case_id uuid NOT NULL REFERENCES "${s}".vendor_cases (id),
      vendor_status text NOT NULL,
      note text,
      by_subject text NOT NULL,
      at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX vendor_case_updates_case ON "${s}".vendor_case_updates (vendor_case_id, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`DROP TABLE "${s}".vendor_case_updates`);
    await q.query(`DROP TABLE "${s}".vendor_cases`);
    await q.query(`DROP TABLE "${s}".service_report_signatures`);
    await q.query(`DROP TABLE "${s}".service_reports`);
    await q.query(`DROP TABLE "${s}".field_visits`);
  }
}
