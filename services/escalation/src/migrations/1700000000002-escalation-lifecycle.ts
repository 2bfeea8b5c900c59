import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Clocks follow the case: pauses (waiting on customer / parts / vendor) are rows of
 * `clock_pauses`, resolution stops a clock, a reopen starts the next episode (a new row, so its
 * rungs fire again under fresh `clock_firings` keys). Policies are data, versioned; calendars are
 * the contracts' business calendars (projected from intake's registry, or set here by an admin).
 */
export class EscalationLifecycle1700000000002 implements MigrationInterface {
  name = 'EscalationLifecycle1700000000002';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`ALTER TABLE "${s}".sla_clocks
      ADD COLUMN episode integer NOT NULL DEFAULT 1,
      ADD COLUMN contract_id text,
      ADD COLUMN coverage text,
      ADD COLUMN paused_since timestamptz,
      ADD COLUMN stopped_at timestamptz,
      ADD COLUMN stop_reason text`);
    await q.query(`ALTER TABLE "${s}".sla_clocks DROP CONSTRAINT sla_clocks_case_id_target_key`);
    await q.query(`ALTER TABLE "${s}".sla_clocks ADD CONSTRAINT sla_clocks_case_target_episode UNIQUE (case_id, target, episode)`);
    await q.query(`CREATE TABLE "${s}".clock_pauses (
      clock_id uuid NOT NULL REFERENCES "${s}".sla_clocks (id) ON DELETE CASCADE,
      from_at timestamptz NOT NULL,
      to_at timestamptz,
      reason text NOT NULL CHECK (reason IN ('customer','parts','vendor')),
      PRIMARY KEY (clock_id, from_at),
      CHECK (to_at IS NULL OR to_at >= from_at)
    )`);
    await q.query(`CREATE TABLE "${s}".sla_policies (
      id text NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      name text NOT NULL,
      definition jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by text NOT NULL,
      PRIMARY KEY (id, version)
    )`);
    await q.query(`CREATE TABLE "${s}".region_policies (
      region text PRIMARY KEY,
      policy_id text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE "${s}".calendars (
      id text PRIMARY KEY,
      definition jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    for (const t of ['calendars', 'region_policies', 'sla_policies', 'clock_pauses']) await q.query(`DROP TABLE "${s}".${t}`);
    await q.query(`ALTER TABLE "${s}".sla_clocks DROP CONSTRAINT sla_clocks_case_target_episode`);
    await q.query(`ALTER TABLE "${s}".sla_clocks ADD CONSTRAINT sla_clocks_case_id_target_key UNIQUE (case_id, target)`);
    await q.query(`ALTER TABLE "${s}".sla_clocks DROP COLUMN episode, DROP COLUMN contract_id, DROP COLUMN coverage,
      DROP COLUMN paused_since, DROP COLUMN stopped_at, DROP COLUMN stop_reason`);
  }
}
