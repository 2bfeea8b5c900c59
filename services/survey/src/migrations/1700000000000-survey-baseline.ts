import { ServiceBaseline } from '@aftersales/platform';

export class SurveyBaseline1700000000000 extends ServiceBaseline {
  name = 'SurveyBaseline1700000000000';
  protected readonly ownTable = 'survey_cases';

  protected ownSql(s: string): string[] {
    return [
      // who to survey once the case closes: the weekly batch picks closed ones from here
      `CREATE TABLE "${s}".survey_cases (
      case_id uuid PRIMARY KEY,
      case_number text NOT NULL,
      customer_id text NOT NULL,
      contact jsonb NOT NULL,
      region text NOT NULL,
      opened_at timestamptz NOT NULL,
      closed_at timestamptz
    )`,
    ];
  }
}
