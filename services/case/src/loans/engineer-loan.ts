import type { LoanState } from '../domain/engineer-loan';

export { LOAN_NEXT } from '../domain/engineer-loan';
export type { LoanState } from '../domain/engineer-loan';

/** An engineer one region asked of another for one of its cases (both regions keep a row with the same id). */
export interface EngineerLoan {
  id: string;
  /** `asking`: this region asked for help; `lending`: another region asked this one */
  side: 'asking' | 'lending';
  fromRegion: string;
  toRegion: string;
  /** the asking region's case */
  caseId: string;
  caseNumber: string | null;
  severity: 'P1' | 'P2' | 'P3' | 'P4';
  summary: string;
  skills: string[];
  state: LoanState;
  engineerId: string | null;
  engineerName: string | null;
  reason: string | null;
  requestedBy: string;
  decidedBy: string | null;
  workedMinutes: number;
  createdAt: Date;
  updatedAt: Date;
}
