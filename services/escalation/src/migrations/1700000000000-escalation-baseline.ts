import { ServiceBaseline } from '@aftersales/platform';

export class EscalationBaseline1700000000000 extends ServiceBaseline {
  name = 'EscalationBaseline1700000000000';
  protected readonly ownTable = 'sla_clocks';

  protected ownSql(s: string): string[] {
    return [
      `CREATE TABLE "${s}".sla_clocks (
      id uuid PRIMARY KEY,
      case_id uuid NOT NULL,
      region text NOT NULL,
      severity text NOT NULL,
      target text NOT NULL,
      state text NOT NULL,
      started_at timestamptz NOT NULL,
      due_at timestamptz NOT NULL,
      next_due_at timestamptz,
      UNIQUE (case_id, target)
    )`,
      // the firing loop claims due clocks in next_due_at order
      `CREATE INDEX sla_clocks_next_due ON "${s}".sla_clocks (next_due_at) WHERE state = 'running'`,
    ];
  }
}
