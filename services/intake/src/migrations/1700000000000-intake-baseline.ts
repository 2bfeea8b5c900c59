import { ServiceBaseline } from '@aftersales/platform';

export class IntakeBaseline1700000000000 extends ServiceBaseline {
  name = 'IntakeBaseline1700000000000';
  protected readonly ownTable = 'service_requests';

  protected ownSql(s: string): string[] {
    return [
      `CREATE TABLE "${s}".service_requests (
      id uuid PRIMARY KEY,
      region text NOT NULL,
      customer_id text NOT NULL,
      contact jsonb NOT NULL,
      channel text NOT NULL,
      severity text NOT NULL CHECK (severity IN ('P1','P2','P3','P4')),
      symptom text NOT NULL,
      error_codes text[] NOT NULL DEFAULT '{}',
      product_model text,
      serial_number text,
      received_at timestamptz NOT NULL,
      created_by text NOT NULL
    )`,
      `CREATE INDEX service_requests_customer ON "${s}".service_requests (customer_id, received_at DESC)`,
    ];
  }
}
