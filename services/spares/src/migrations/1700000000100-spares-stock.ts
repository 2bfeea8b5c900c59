import { MigrationInterface, QueryRunner } from 'typeorm';

const PART_CLASSES = `'disk','memory','cpu','board','power','fan','network','controller','cable','unit','other'`;

/** The history of a stateful row: one row per move, who made it and with what. */
const movesTable = (s: string, table: string, owner: string, ownerTable: string) => `CREATE TABLE "${s}".${table} (
      seq bigserial PRIMARY KEY,
      ${owner} uuid NOT NULL REFERENCES "${s}".${ownerTable} (id),
      action text NOT NULL,
      from_state text,
      to_state text NOT NULL,
      actor_subject text NOT NULL,
      actor_role text NOT NULL,
      at timestamptz NOT NULL,
      data jsonb
    )`;

/**
 * Catalog, depots and stock, part requests with their deliveries, defective returns, repair
 * orders and purchase plans. The stock invariants are CHECK constraints too: whatever the code
 * does, the database never holds a negative count or more reserved than on hand.
 */
export class SparesStock1700000000100 implements MigrationInterface {
  name = 'SparesStock1700000000100';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`ALTER TABLE "${s}".case_demands
      ADD COLUMN case_number text, ADD COLUMN customer_id text, ADD COLUMN warranty text,
      ADD COLUMN contract_id text, ADD COLUMN warranty_ends_on date, ADD COLUMN product_model text`);
    await q.query(`CREATE TABLE "${s}".parts (
      part_number text PRIMARY KEY,
      description text NOT NULL,
      part_class text NOT NULL CHECK (part_class IN (${PART_CLASSES})),
      compatible_models text[] NOT NULL DEFAULT '{}',
      unit_cost numeric(12,2) NOT NULL CHECK (unit_cost >= 0),
      contract_price numeric(12,2) NOT NULL CHECK (contract_price >= 0),
      must_return boolean NOT NULL DEFAULT true,
      doa_days integer NOT NULL DEFAULT 7 CHECK (doa_days >= 0),
      lifetime_supply boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX parts_models ON "${s}".parts USING gin (compatible_models)`);
    await q.query(`CREATE TABLE "${s}".depots (
      id text PRIMARY KEY,
      name text NOT NULL,
      region text NOT NULL,
      city text,
      home boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE UNIQUE INDEX depots_one_home_per_region ON "${s}".depots (region) WHERE home`);
    await q.query(`CREATE TABLE "${s}".stock (
      depot_id text NOT NULL REFERENCES "${s}".depots (id),
      part_number text NOT NULL REFERENCES "${s}".parts (part_number),
      on_hand integer NOT NULL DEFAULT 0,
      reserved integer NOT NULL DEFAULT 0,
      in_transit integer NOT NULL DEFAULT 0,
      defective integer NOT NULL DEFAULT 0,
      min_level integer NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (depot_id, part_number),
      CONSTRAINT stock_on_hand_not_negative CHECK (on_hand >= 0),
      CONSTRAINT stock_reserved_within_on_hand CHECK (reserved >= 0 AND reserved <= on_hand),
      CONSTRAINT stock_in_transit_not_negative CHECK (in_transit >= 0),
      CONSTRAINT stock_defective_not_negative CHECK (defective >= 0),
      CONSTRAINT stock_min_level_not_negative CHECK (min_level >= 0)
    )`);
    await q.query(`CREATE INDEX stock_by_part ON "${s}".stock (part_number)`);
    await q.query(`CREATE TABLE "${s}".inbound (
      id uuid PRIMARY KEY,
      depot_id text NOT NULL REFERENCES "${s}".depots (id),
      part_number text NOT NULL REFERENCES "${s}".parts (part_number),
      quantity integer NOT NULL CHECK (quantity > 0),
      expected_at timestamptz NOT NULL,
      plan_id uuid,
      received_at timestamptz,
      created_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX inbound_open ON "${s}".inbound (part_number, depot_id) WHERE received_at IS NULL`);
    await q.query(`CREATE TABLE "${s}".part_requests (
      id uuid PRIMARY KEY,
      case_id uuid,
      region text NOT NULL,
      customer_id text,
      severity text NOT NULL,
      part_number text NOT NULL REFERENCES "${s}".parts (part_number),
      quantity integer NOT NULL CHECK (quantity > 0),
      site_id text,
      needed_by timestamptz NOT NULL,
      state text NOT NULL CHECK (state IN ('awaiting-approval','reserved','picked','shipped','delivered','installed','rejected','cancelled','doa-exchanged')),
      depot_id text NOT NULL REFERENCES "${s}".depots (id),
      depot_region text NOT NULL,
      cross_region boolean NOT NULL,
      exchange_of uuid REFERENCES "${s}".part_requests (id),
      requested_by text NOT NULL,
      decided_by text,
      decision_reason text,
      carrier text,
      tracking_number text,
      courier text,
      late boolean NOT NULL DEFAULT false,
      requested_at timestamptz NOT NULL,
      reserved_at timestamptz,
      picked_at timestamptz,
      shipped_at timestamptz,
      delivered_at timestamptz,
      installed_at timestamptz,
      closed_at timestamptz,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX part_requests_case ON "${s}".part_requests (case_id)`);
    await q.query(`CREATE INDEX part_requests_region_state ON "${s}".part_requests (region, state)`);
    await q.query(`CREATE INDEX part_requests_depot_state ON "${s}".part_requests (depot_region, state)`);
    await q.query(movesTable(s, 'part_request_moves', 'request_id', 'part_requests'));
    await q.query(`CREATE INDEX part_request_moves_request ON "${s}".part_request_moves (request_id, seq)`);
    await q.query(`CREATE TABLE "${s}".part_returns (
      id uuid PRIMARY KEY,
      request_id uuid NOT NULL REFERENCES "${s}".part_requests (id),
      case_id uuid,
      region text NOT NULL,
      depot_id text NOT NULL REFERENCES "${s}".depots (id),
      part_number text NOT NULL REFERENCES "${s}".parts (part_number),
      quantity integer NOT NULL CHECK (quantity > 0),
      doa boolean NOT NULL,
      state text NOT NULL CHECK (state IN ('expected','received','repaired','sent-to-vendor','scrapped')),
      due_at timestamptz NOT NULL,
      overdue boolean NOT NULL DEFAULT false,
      overdue_at timestamptz,
      received_at timestamptz,
      received_by text,
      condition text,
      decided_at timestamptz,
      decided_by text,
      decision_reason text,
      rma_number text,
      created_at timestamptz NOT NULL,
      UNIQUE (request_id, doa)
    )`);
    await q.query(`CREATE INDEX part_returns_due ON "${s}".part_returns (due_at) WHERE state = 'expected' AND NOT overdue`);
    await q.query(`CREATE TABLE "${s}".repair_orders (
      id uuid PRIMARY KEY,
      case_id uuid,
      customer_id text NOT NULL,
      region text NOT NULL,
      channel text NOT NULL CHECK (channel IN ('carry-in','mail-in')),
      serial_number text NOT NULL,
      product_model text,
      contract_id text,
      warranty_ends_on date,
      in_warranty boolean NOT NULL,
      condition text NOT NULL,
      accessories text[] NOT NULL DEFAULT '{}',
      photos text[] NOT NULL DEFAULT '{}',
      fault text,
      part_number text REFERENCES "${s}".parts (part_number),
      quote_percent numeric(5,2),
      quote_amount numeric(12,2),
      state text NOT NULL CHECK (state IN ('received','diagnosed','quoted','accepted','declined','repaired','returned')),
      carrier text,
      tracking_number text,
      collected_by text,
      repair_notes text,
      received_by text NOT NULL,
      received_at timestamptz NOT NULL,
      diagnosed_at timestamptz,
      quoted_at timestamptz,
      decided_at timestamptz,
      repaired_at timestamptz,
      returned_at timestamptz,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX repair_orders_customer ON "${s}".repair_orders (customer_id)`);
    await q.query(`CREATE INDEX repair_orders_region_state ON "${s}".repair_orders (region, state)`);
    await q.query(movesTable(s, 'repair_order_moves', 'order_id', 'repair_orders'));
    await q.query(`CREATE TABLE "${s}".contract_repair_terms (
      contract_id text PRIMARY KEY,
      quote_percent numeric(5,2) NOT NULL CHECK (quote_percent >= 0 AND quote_percent <= 100),
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE TABLE "${s}".purchase_plans (
      id uuid PRIMARY KEY,
      contract_id text NOT NULL UNIQUE,
      customer_id text NOT NULL,
      region text NOT NULL,
      state text NOT NULL CHECK (state IN ('drafted','ordered','stocked-in')),
      depot_id text REFERENCES "${s}".depots (id),
      due_at timestamptz NOT NULL,
      overdue boolean NOT NULL DEFAULT false,
      overdue_at timestamptz,
      drafted_at timestamptz NOT NULL,
      ordered_at timestamptz,
      stocked_in_at timestamptz,
      stocked_in_by text
    )`);
    await q.query(`CREATE TABLE "${s}".purchase_plan_lines (
      plan_id uuid NOT NULL REFERENCES "${s}".purchase_plans (id),
      part_number text NOT NULL REFERENCES "${s}".parts (part_number),
      quantity integer NOT NULL CHECK (quantity > 0),
      PRIMARY KEY (plan_id, part_number)
    )`);
    await q.query(`CREATE TABLE "${s}".depot_reports (
      depot_id text NOT NULL REFERENCES "${s}".depots (id),
      day date NOT NULL,
      report jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (depot_id, day)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    for (const t of [
      'depot_reports',
      'purchase_plan_lines',
      'purchase_plans',
      'contract_repair_terms',
      'repair_order_moves',
      'repair_orders',
      'part_returns',
      'part_request_moves',
      'part_requests',
      'inbound',
      'stock',
      'depots',
      'parts',
    ]) {
      await q.query(`DROP TABLE "${s}".${t}`);
    }
    await q.query(`ALTER TABLE "${s}".case_demands
      DROP COLUMN case_number, DROP COLUMN customer_id, DROP COLUMN warranty,
      DROP COLUMN contract_id, DROP COLUMN warranty_ends_on, DROP COLUMN product_model`);
  }
}
