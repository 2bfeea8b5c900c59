import { messagingTablesSql } from '@aftersales/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { idempotencyTableSql } from './idempotency';

/**
 * A service's first migration: the outbox and inbox, the idempotency keys, then the service's own
 * statements, one query each in that order. `down` drops the service's own table only (as every
 * baseline always did). Deployed databases ran these statements: a subclass keeps its SQL as is.
 */
export abstract class ServiceBaseline implements MigrationInterface {
  abstract readonly name: string;
  /** the table `down` drops */
  protected abstract readonly ownTable: string;
  /** the service's own statements, run after the shared tables */
  protected abstract ownSql(schema: string): string[];

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    for (const sql of messagingTablesSql(s)) await q.query(sql);
    await q.query(idempotencyTableSql(s));
    for (const sql of this.ownSql(s)) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "${q.connection.driver.schema!}".${this.ownTable}`);
  }
}
