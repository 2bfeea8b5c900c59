import { ServiceBaseline } from '@aftersales/platform';

export class SparesBaseline1700000000000 extends ServiceBaseline {
  name = 'SparesBaseline1700000000000';
  protected readonly ownTable = 'case_demands';

  protected ownSql(s: string): string[] {
    return [
      // the cases a depot may have to serve: region decides the depot, serial and severity the part and deadline
      `CREATE TABLE "${s}".case_demands (
      case_id uuid PRIMARY KEY,
      region text NOT NULL,
      severity text NOT NULL,
      serial_number text,
      opened_at timestamptz NOT NULL
    )`,
    ];
  }
}
