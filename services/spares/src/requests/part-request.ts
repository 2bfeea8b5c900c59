import { RequestState } from '../domain';

export interface PartRequest {
  id: string;
  caseId: string | null;
  /** the region of the case (or requester) the part is for */
  region: string;
  customerId: string | null;
  severity: string;
  partNumber: string;
  quantity: number;
  siteId: string | null;
  neededBy: Date;
  state: RequestState;
  depotId: string;
  depotRegion: string;
  crossRegion: boolean;
  exchangeOf: string | null;
  requestedBy: string;
  decidedBy: string | null;
  decisionReason: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  courier: string | null;
  late: boolean;
  requestedAt: Date;
  reservedAt: Date | null;
  pickedAt: Date | null;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  installedAt: Date | null;
  closedAt: Date | null;
  updatedAt: Date;
}
