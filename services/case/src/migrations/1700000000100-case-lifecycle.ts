import { MigrationInterface, QueryRunner } from 'typeorm';

/** Case lifecycle: what intake knew, owner and tier, lifecycle times, transition history, work log, engineers directory. */
export class CaseLifecycle1700000000100 implements MigrationInterface {
  name = 'CaseLifecycle1700000000100';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`ALTER TABLE "${s}".cases
      ADD COLUMN case_type text NOT NULL DEFAULT 'incident' CHECK (case_type IN ('incident','complaint')),
      ADD COLUMN asset_id text,
      ADD COLUMN product_line text,
      ADD COLUMN product_model text,
      ADD COLUMN error_codes text[] NOT NULL DEFAULT '{}',
      ADD COLUMN service_mode text NOT NULL DEFAULT 'remote',
      ADD COLUMN warranty text NOT NULL DEFAULT 'unknown',
      ADD COLUMN contract jsonb,
      ADD COLUMN channel text,
      ADD COLUMN related_case_id uuid REFERENCES "${s}".cases (id),
      ADD COLUMN assignee_id text,
      ADD COLUMN assignee_name text,
      ADD COLUMN tier text CHECK (tier IN ('L1','L2','L3','L4')),
      ADD COLUMN status_changed_at timestamptz,
      ADD COLUMN triaged_at timestamptz,
      ADD COLUMN assigned_at timestamptz,
      ADD COLUMN resolved_at timestamptz,
      ADD COLUMN confirmed_at timestamptz,
      ADD COLUMN closed_at timestamptz,
      ADD COLUMN reopened_at timestamptz,
      ADD COLUMN reopen_count integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE "${s}".cases ADD CONSTRAINT cases_status_known CHECK (status IN
      ('received','triaged','assigned','in-progress','on-site','escalated','vendor-case-open',
       'waiting-customer','waiting-parts','waiting-vendor','resolved','confirmed','closed','reopened'))`);
    // an engineer's load = open cases owned; the list filters by status and owner
    await q.query(`CREATE INDEX cases_assignee_open ON "${s}".cases (assignee_id) WHERE status NOT IN ('resolved','confirmed','closed')`);
    await q.query(`CREATE INDEX cases_status ON "${s}".cases (region, status, opened_at DESC)`);
    await q.query(`CREATE INDEX cases_related ON "${s}".cases (related_case_id) WHERE related_case_id IS NOT NULL`);

    await q.query(`CREATE TABLE "${s}".case_transitions (
      id uuid PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES "${s}".cases (id),
      seq bigserial NOT NULL,
      from_status text NOT NULL,
      to_status text NOT NULL,
      actor_subject text NOT NULL,
      actor_role text NOT NULL,
      reason text,
      at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX case_transitions_case ON "${s}".case_transitions (case_id, seq)`);

    await q.query(`CREATE TABLE "${s}".case_worklog (
      id uuid PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES "${s}".cases (id),
      seq bigserial NOT NULL,
      kind text NOT NULL CHECK (kind IN ('note','call','email','status','assignment','visit','vendor','report','system')),
      public boolean NOT NULL,
      actor_subject text NOT NULL,
      actor_role text NOT NULL,
      text text NOT NULL,
      data jsonb,
      at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX case_worklog_case ON "${s}".case_worklog (case_id, seq)`);

    await q.query(`CREATE TABLE "${s}".engineers (
      id text PRIMARY KEY,
      name text NOT NULL,
      tier text NOT NULL CHECK (tier IN ('L1','L2','L3','L4')),
      grade text NOT NULL CHECK (grade IN ('maintenance-assistant','maintenance-engineer','product-engineer',
                                           'senior-engineer','system-engineer','technical-expert')),
      skills text[] NOT NULL DEFAULT '{}',
      region text NOT NULL,
      superior_id text REFERENCES "${s}".engineers (id),
      senior boolean NOT NULL DEFAULT false,
      active boolean NOT NULL DEFAULT true,
      max_load integer NOT NULL DEFAULT 10 CHECK (max_load >= 0),
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      CHECK (superior_id IS NULL OR superior_id <> id)
    )`);
    await q.query(`CREATE INDEX engineers_routing ON "${s}".engineers (region, tier) WHERE active`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`DROP TABLE "${s}".engineers`);
    await q.query(`DROP TABLE "${s}".case_worklog`);
    await q.query(`DROP TABLE "${s}".case_transitions`);
    await q.query(`DROP INDEX "${s}".cases_related`);
    await q.query(`DROP INDEX "${s}".cases_status`);
    await q.query(`DROP INDEX "${s}".cases_assignee_open`);
    await q.query(`ALTER TABLE "${s}".cases DROP CONSTRAINT cases_status_known`);
    await q.query(`ALTER TABLE "${s}".cases
      DROP COLUMN case_type, DROP COLUMN asset_id, DROP COLUMN product_line, DROP COLUMN product_model, DROP COLUMN error_codes,
      DROP COLUMN service_mode, DROP COLUMN warranty, DROP COLUMN contract, DROP COLUMN channel, DROP COLUMN related_case_id,
      DROP COLUMN assignee_id, DROP COLUMN assignee_name, DROP COLUMN tier, DROP COLUMN status_changed_at, DROP COLUMN triaged_at,
      DROP COLUMN assigned_at, DROP COLUMN resolved_at, DROP COLUMN confirmed_at, DROP COLUMN closed_at, DROP COLUMN reopened_at,
      DROP COLUMN reopen_count`);
  }
}
