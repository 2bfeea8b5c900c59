import { PlanLine, PlanState } from '../domain';

export interface PurchasePlan {
  id: string;
  contractId: string;
  customerId: string;
  region: string;
  state: PlanState;
  depotId: string | null;
  dueAt: Date;
  overdue: boolean;
  overdueAt: Date | null;
  draftedAt: Date;
  orderedAt: Date | null;
  stockedInAt: Date | null;
  stockedInBy: string | null;
  lines: PlanLine[];
}
