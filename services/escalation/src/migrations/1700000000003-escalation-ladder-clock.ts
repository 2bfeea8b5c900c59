import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case's main clock (the ladder and every target counted from the report to resolution) is
 * the row with target `ladder`; `response` and `email-reply` become clocks of their own, stopped
 * by the case's first response to the customer. Clocks running at this migration keep no
 * separate response / e-mail-reply clock (whether they were answered, and by which channel the
 * case came, is not known here); new cases get them.
 */
export class EscalationLadderClock1700000000003 implements MigrationInterface {
  name = 'EscalationLadderClock1700000000003';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`UPDATE "${s}".sla_clocks SET target = 'ladder' WHERE target = 'response'`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    // the old model has no separate response / e-mail-reply clocks (their firings and pauses go with them)
    await q.query(`DELETE FROM "${s}".sla_clocks WHERE target IN ('response', 'email-reply')`);
    await q.query(`UPDATE "${s}".sla_clocks SET target = 'response' WHERE target = 'ladder'`);
  }
}
