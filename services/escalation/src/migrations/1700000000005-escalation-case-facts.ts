import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a re-base needs to know of a case to give it the clocks a new policy version adds: the terms
 * it opened with (`case_terms`: channel and service mode decide the e-mail-reply and on-site
 * targets) and the milestones it has reached (`case_milestones`: diagnosed, responded, dispatched,
 * arrived, per episode), so a target already met gets no clock. Cases opened before this migration
 * get the milestones their stopped clocks show; their terms are not known (a re-base reads what it
 * can from their clock rows).
 */
export class EscalationCaseFacts1700000000005 implements MigrationInterface {
  name = 'EscalationCaseFacts1700000000005';

  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`CREATE TABLE "${s}".case_terms (
      case_id uuid PRIMARY KEY,
      channel text,
      service_mode text
    )`);
    await q.query(`CREATE TABLE "${s}".case_milestones (
      case_id uuid NOT NULL,
      episode integer NOT NULL,
      milestone text NOT NULL CHECK (milestone IN ('diagnosed','responded','dispatched','arrived')),
      at timestamptz NOT NULL,
      PRIMARY KEY (case_id, episode, milestone)
    )`);
    await q.query(`INSERT INTO "${s}".case_milestones (case_id, episode, milestone, at)
      SELECT case_id, episode, stop_reason, min(stopped_at) FROM "${s}".sla_clocks
       WHERE stop_reason IN ('diagnosed','responded','arrived') AND stopped_at IS NOT NULL
       GROUP BY case_id, episode, stop_reason`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`DROP TABLE "${s}".case_milestones`);
    await q.query(`DROP TABLE "${s}".case_terms`);
  }
}
