import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Parts asked of another region's deployment (architecture §9): the asking region's row follows
 * the answers that come back over the interregion topic; the asked region's row links the ask to
 * the part request its manager approves.
 */
export class SparesPartAsks1700000016100 implements MigrationInterface {
  name = 'SparesPartAsks1700000016100';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`CREATE TABLE "${s}".part_asks (
      id uuid NOT NULL,
      side text NOT NULL CHECK (side IN ('asking', 'asked')),
      from_region text NOT NULL,
      to_region text NOT NULL,
      case_id uuid NOT NULL,
      case_number text,
      severity text NOT NULL,
      part_number text NOT NULL,
      quantity integer NOT NULL CHECK (quantity > 0),
      needed_by timestamptz NOT NULL,
      state text NOT NULL CHECK (state IN ('requested', 'approved', 'declined', 'shipped', 'delivered')),
      request_id uuid UNIQUE,
      depot_id text,
      reason text,
      requested_by text NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      -- one deployment serving both regions keeps both sides
      PRIMARY KEY (id, side)
    )`);
    await q.query(`CREATE INDEX part_asks_by_case ON "${s}".part_asks (case_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "${q.connection.driver.schema!}".part_asks`);
  }
}
