import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The weekly survey and its closed loop: what survey needs to know of a case (type, owners, tags,
 * status), exclusion rules, one batch per region and week (the unique key makes it run once
 * whatever the replicas), surveys with their one-time link (only the token's hash is kept) and
 * answers, callbacks for low scores, and the period each region's week is signed off and archived in.
 */
export class SurveyLoop1700000000100 implements MigrationInterface {
  name = 'SurveyLoop1700000000100';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`ALTER TABLE "${s}".survey_cases
      ADD COLUMN request_id uuid,
      ADD COLUMN case_type text NOT NULL DEFAULT 'incident',
      ADD COLUMN severity text,
      ADD COLUMN service_mode text,
      ADD COLUMN product_line text,
      ADD COLUMN contract_id text,
      ADD COLUMN related_case_id uuid,
      ADD COLUMN status text NOT NULL DEFAULT 'received',
      ADD COLUMN owner_id text,
      ADD COLUMN owner_name text,
      ADD COLUMN owner_tier text,
      ADD COLUMN escalation_owner_id text,
      ADD COLUMN escalation_owner_name text,
      ADD COLUMN escalated_since_assignment boolean NOT NULL DEFAULT false,
      ADD COLUMN tags text[] NOT NULL DEFAULT '{}'`);
    await q.query(`CREATE INDEX survey_cases_closed ON "${s}".survey_cases (region, closed_at) WHERE closed_at IS NOT NULL`);

    await q.query(`CREATE TABLE "${s}".survey_exclusion_rules (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      region text,
      criteria jsonb NOT NULL CHECK (criteria <> '{}'::jsonb),
      created_by text NOT NULL,
      created_at timestamptz NOT NULL
    )`);

    await q.query(`CREATE TABLE "${s}".survey_periods (
      region text NOT NULL,
      week text NOT NULL,
      state text NOT NULL DEFAULT 'open' CHECK (state IN ('open','reviewed','signed-off','archived')),
      review_note text,
      reviewed_by text,
      reviewed_at timestamptz,
      signed_off_by text,
      signed_off_at timestamptz,
      archived_by text,
      archived_at timestamptz,
      PRIMARY KEY (region, week)
    )`);

    await q.query(`CREATE TABLE "${s}".survey_batches (
      id uuid PRIMARY KEY,
      region text NOT NULL,
      week text NOT NULL,
      due_at timestamptz NOT NULL,
      ran_at timestamptz NOT NULL,
      surveys integer NOT NULL,
      UNIQUE (region, week)
    )`);
    // a closing a rule kept out of the survey, and which rule: decided once, like a survey
    await q.query(`CREATE TABLE "${s}".survey_exclusions (
      case_id uuid NOT NULL REFERENCES "${s}".survey_cases (case_id),
      case_closed_at timestamptz NOT NULL,
      batch_id uuid NOT NULL REFERENCES "${s}".survey_batches (id),
      rule_id uuid NOT NULL,
      rule_name text NOT NULL,
      PRIMARY KEY (case_id, case_closed_at)
    )`);

    // the report is read from here: the case's names are copied at send time, so an archived week stays as it was
    await q.query(`CREATE TABLE "${s}".surveys (
      id uuid PRIMARY KEY,
      batch_id uuid NOT NULL REFERENCES "${s}".survey_batches (id),
      case_id uuid NOT NULL REFERENCES "${s}".survey_cases (case_id),
      case_closed_at timestamptz NOT NULL,
      case_number text NOT NULL,
      region text NOT NULL,
      week text NOT NULL,
      customer_id text NOT NULL,
      contact jsonb NOT NULL,
      owner_id text,
      owner_name text,
      escalation_owner_id text,
      escalation_owner_name text,
      token_hash text NOT NULL UNIQUE,
      sent_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'sent' CHECK (status IN ('sent','partial','answered')),
      response_time smallint CHECK (response_time BETWEEN 1 AND 5),
      technical_skill smallint CHECK (technical_skill BETWEEN 1 AND 5),
      attitude smallint CHECK (attitude BETWEEN 1 AND 5),
      outcome smallint CHECK (outcome BETWEEN 1 AND 5),
      smooth boolean,
      comment text,
      via text CHECK (via IN ('link','phone','portal')),
      answered_by text,
      answered_at timestamptz,
      updated_at timestamptz NOT NULL,
      UNIQUE (case_id, case_closed_at),
      FOREIGN KEY (region, week) REFERENCES "${s}".survey_periods (region, week)
    )`);
    await q.query(`CREATE INDEX surveys_week ON "${s}".surveys (region, week)`);
    await q.query(`CREATE INDEX surveys_customer ON "${s}".surveys (customer_id)`);

    await q.query(`CREATE TABLE "${s}".survey_callbacks (
      id uuid PRIMARY KEY,
      survey_id uuid NOT NULL UNIQUE REFERENCES "${s}".surveys (id),
      case_id uuid NOT NULL,
      case_number text NOT NULL,
      region text NOT NULL,
      week text NOT NULL,
      customer_id text NOT NULL,
      low_items text[] NOT NULL,
      assignee_role text NOT NULL,
      requested_at timestamptz NOT NULL,
      due_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
      overdue_at timestamptz,
      outcome text CHECK (outcome IN ('reached','unreachable','complaint-opened')),
      note text,
      closed_by text,
      closed_at timestamptz,
      complaint_case_id uuid,
      complaint_case_number text,
      FOREIGN KEY (region, week) REFERENCES "${s}".survey_periods (region, week)
    )`);
    await q.query(`CREATE INDEX survey_callbacks_open ON "${s}".survey_callbacks (region, status)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    for (const t of ['survey_callbacks', 'surveys', 'survey_exclusions', 'survey_batches', 'survey_periods', 'survey_exclusion_rules']) {
      await q.query(`DROP TABLE "${s}".${t}`);
    }
    await q.query(`DROP INDEX "${s}".survey_cases_closed`);
    await q.query(`ALTER TABLE "${s}".survey_cases
      DROP COLUMN request_id, DROP COLUMN case_type, DROP COLUMN severity, DROP COLUMN service_mode,
      DROP COLUMN product_line, DROP COLUMN contract_id, DROP COLUMN related_case_id, DROP COLUMN status,
      DROP COLUMN owner_id, DROP COLUMN owner_name, DROP COLUMN owner_tier, DROP COLUMN escalation_owner_id,
      DROP COLUMN escalation_owner_name, DROP COLUMN escalated_since_assignment, DROP COLUMN tags`);
  }
}
