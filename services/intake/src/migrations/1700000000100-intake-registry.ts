import { MigrationInterface, QueryRunner } from 'typeorm';

/** The registry: who the customers are, where, who may report, what they signed and what is installed. */
export class IntakeRegistry1700000000100 implements MigrationInterface {
  name = 'IntakeRegistry1700000000100';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`CREATE TABLE "${s}".calendars (
      id text PRIMARY KEY,
      definition jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE "${s}".customers (
      id text PRIMARY KEY,
      name text NOT NULL,
      region text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE "${s}".sites (
      id text PRIMARY KEY,
      customer_id text NOT NULL REFERENCES "${s}".customers(id),
      name text NOT NULL,
      address text,
      city text,
      region text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX sites_customer ON "${s}".sites (customer_id)`);
    await q.query(`CREATE TABLE "${s}".contacts (
      id text PRIMARY KEY,
      customer_id text NOT NULL REFERENCES "${s}".customers(id),
      site_id text REFERENCES "${s}".sites(id),
      name text NOT NULL,
      phone text,
      -- digits only, so that "+86 10 5555-0100" and "861055550100" find the same caller
      phone_digits text,
      email text,
      designated boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX contacts_customer ON "${s}".contacts (customer_id)`);
    await q.query(`CREATE INDEX contacts_phone ON "${s}".contacts (phone_digits)`);
    await q.query(`CREATE INDEX contacts_email ON "${s}".contacts (lower(email))`);
    await q.query(`CREATE TABLE "${s}".contracts (
      id text PRIMARY KEY,
      customer_id text NOT NULL REFERENCES "${s}".customers(id),
      coverage text NOT NULL CHECK (coverage IN ('business-hours','7x24')),
      region text NOT NULL,
      calendar_id text REFERENCES "${s}".calendars(id),
      policy_id text,
      starts_on date NOT NULL,
      ends_on date NOT NULL,
      warranty_ends_on date,
      home_city text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (ends_on >= starts_on)
    )`);
    await q.query(`CREATE INDEX contracts_customer ON "${s}".contracts (customer_id)`);
    await q.query(`CREATE TABLE "${s}".assets (
      id text PRIMARY KEY,
      customer_id text NOT NULL REFERENCES "${s}".customers(id),
      site_id text REFERENCES "${s}".sites(id),
      contract_id text REFERENCES "${s}".contracts(id),
      model text NOT NULL,
      product_line text,
      serial_number text NOT NULL UNIQUE,
      installed_on date,
      warranty_ends_on date,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX assets_customer ON "${s}".assets (customer_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    for (const t of ['assets', 'contracts', 'contacts', 'sites', 'customers', 'calendars']) await q.query(`DROP TABLE "${s}".${t}`);
  }
}
