import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What management watches (domain §10) beyond the case's own tables: SLA clocks and breaches and
 * escalation rungs (escalation events), part deliveries and stock events (spares), survey answers
 * and callbacks (survey). Each row keyed so a redelivered event changes nothing.
 */
export class CaseReports1700000015300 implements MigrationInterface {
  name = 'CaseReports1700000015300';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`CREATE TABLE "${s}".report_clocks (
      clock_id uuid PRIMARY KEY, case_id uuid NOT NULL, region text NOT NULL, severity text NOT NULL,
      target text NOT NULL, started_at timestamptz NOT NULL, due_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX report_clocks_started ON "${s}".report_clocks (region, started_at)`);
    await q.query(`CREATE TABLE "${s}".report_breaches (
      clock_id uuid NOT NULL, target text NOT NULL, case_id uuid NOT NULL, region text NOT NULL, severity text NOT NULL,
      fired_at timestamptz NOT NULL, PRIMARY KEY (clock_id, target))`);
    await q.query(`CREATE TABLE "${s}".report_rungs (
      clock_id uuid NOT NULL, rung_index int NOT NULL, label text NOT NULL, target text NOT NULL, case_id uuid NOT NULL,
      region text NOT NULL, severity text NOT NULL, fired_at timestamptz NOT NULL, PRIMARY KEY (clock_id, rung_index))`);
    await q.query(`CREATE INDEX report_rungs_fired ON "${s}".report_rungs (region, fired_at)`);
    await q.query(`CREATE TABLE "${s}".report_deliveries (
      request_id uuid PRIMARY KEY, case_id uuid, region text NOT NULL, part_class text NOT NULL,
      reserved_at timestamptz, needed_by timestamptz, delivered_at timestamptz, late boolean)`);
    await q.query(`CREATE TABLE "${s}".report_stock_events (
      event_id uuid PRIMARY KEY, kind text NOT NULL CHECK (kind IN ('below-minimum','stock-out','transfer')),
      region text NOT NULL, depot_id text NOT NULL, part_number text NOT NULL, part_class text NOT NULL, at timestamptz NOT NULL)`);
    await q.query(`CREATE TABLE "${s}".report_surveys (
      survey_id uuid PRIMARY KEY, case_id uuid NOT NULL, region text NOT NULL, scores jsonb NOT NULL, answered_at timestamptz NOT NULL)`);
    await q.query(`CREATE TABLE "${s}".report_callbacks (
      callback_id uuid PRIMARY KEY, case_id uuid NOT NULL, region text NOT NULL, requested_at timestamptz,
      closed_at timestamptz, outcome text)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    for (const t of [
      'report_callbacks',
      'report_surveys',
      'report_stock_events',
      'report_deliveries',
      'report_rungs',
      'report_breaches',
      'report_clocks',
    ]) {
      await q.query(`DROP TABLE "${s}".${t}`);
    }
  }
}
