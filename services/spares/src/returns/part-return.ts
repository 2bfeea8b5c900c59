import { ReturnState } from '../domain';

/** The replaced faulty (or dead-on-arrival) part, owed back to the depot that shipped its replacement. */
export interface PartReturn {
  id: string;
  requestId: string;
  caseId: string | null;
  region: string;
  depotId: string;
  partNumber: string;
  quantity: number;
  doa: boolean;
  state: ReturnState;
  dueAt: Date;
  overdue: boolean;
  overdueAt: Date | null;
  receivedAt: Date | null;
  receivedBy: string | null;
  condition: string | null;
  decidedAt: Date | null;
  decidedBy: string | null;
  decisionReason: string | null;
  rmaNumber: string | null;
  createdAt: Date;
}
