import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A contract may get more than one purchase plan: assets registered after its plan was ordered or
 * stocked in need parts of their own (issue 14). At most one plan per contract is still a draft
 * (lines are added to it).
 */
export class SparesPlanPerDraft1700000016200 implements MigrationInterface {
  name = 'SparesPlanPerDraft1700000016200';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`ALTER TABLE "${s}".purchase_plans DROP CONSTRAINT purchase_plans_contract_id_key`);
    await q.query(
      `CREATE UNIQUE INDEX purchase_plans_one_draft_per_contract ON "${s}".purchase_plans (contract_id) WHERE state = 'drafted'`,
    );
    await q.query(`CREATE INDEX purchase_plans_by_contract ON "${s}".purchase_plans (contract_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`DROP INDEX "${s}".purchase_plans_by_contract`);
    await q.query(`DROP INDEX "${s}".purchase_plans_one_draft_per_contract`);
    await q.query(`ALTER TABLE "${s}".purchase_plans ADD CONSTRAINT purchase_plans_contract_id_key UNIQUE (contract_id)`);
  }
}
