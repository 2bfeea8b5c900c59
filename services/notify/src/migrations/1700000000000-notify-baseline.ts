import { ServiceBaseline } from '@aftersales/platform';

export class NotifyBaseline1700000000000 extends ServiceBaseline {
  name = 'NotifyBaseline1700000000000';
  protected readonly ownTable = 'notifications';

  protected ownSql(s: string): string[] {
    return [
      `CREATE TABLE "${s}".notifications (
      id uuid PRIMARY KEY,
      case_id uuid,
      customer_id text,
      region text NOT NULL,
      template text NOT NULL,
      channel text NOT NULL,
      recipient text NOT NULL,
      status text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
      // one acknowledgement per case, whatever the redeliveries
      `CREATE UNIQUE INDEX notifications_once ON "${s}".notifications (case_id, template, recipient)`,
    ];
  }
}
