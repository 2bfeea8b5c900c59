import { visitStage, VisitTimes } from './visit-times';

export interface VisitForClose extends VisitTimes {
  id: string;
}

export interface ReportForClose {
  id: string;
  visitId: string;
  status: 'awaiting-signatures' | 'signed';
}

/**
 * Seed §5: an on-site case closes only with a customer service report signed by customer and engineer.
 * Every completed visit needs its signed report, and an engineer still dispatched or on site keeps the case open.
 * Returns why the case cannot close, or null.
 */
export function closeBlocker(visits: VisitForClose[], reports: ReportForClose[]): string | null {
  for (const v of visits) {
    const stage = visitStage(v);
    if (stage !== 'completed') return `on-site visit ${v.id} is not completed (${stage})`;
    const report = reports.find((r) => r.visitId === v.id);
    if (!report) return `on-site visit ${v.id} has no customer service report`;
    if (report.status !== 'signed') return `customer service report ${report.id} of visit ${v.id} is not signed by customer and engineer`;
  }
  return null;
}
