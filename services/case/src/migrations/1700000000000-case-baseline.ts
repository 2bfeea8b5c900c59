import { ServiceBaseline } from '@aftersales/platform';
import { QueryRunner } from 'typeorm';

export class CaseBaseline1700000000000 extends ServiceBaseline {
  name = 'CaseBaseline1700000000000';
  protected readonly ownTable = 'cases';

  protected ownSql(s: string): string[] {
    return [
      `CREATE SEQUENCE "${s}".case_number_seq`,
      `CREATE TABLE "${s}".cases (
      id uuid PRIMARY KEY,
      case_number text NOT NULL UNIQUE,
      request_id uuid NOT NULL UNIQUE,
      region text NOT NULL,
      customer_id text NOT NULL,
      contact jsonb NOT NULL,
      severity text NOT NULL CHECK (severity IN ('P1','P2','P3','P4')),
      symptom text NOT NULL,
      serial_number text,
      status text NOT NULL,
      opened_at timestamptz NOT NULL
    )`,
      `CREATE INDEX cases_customer ON "${s}".cases (customer_id, opened_at DESC)`,
    ];
  }

  override async down(q: QueryRunner): Promise<void> {
    await super.down(q);
    await q.query(`DROP SEQUENCE "${q.connection.driver.schema!}".case_number_seq`);
  }
}
