import { RepairState } from '../domain';

/** A customer's unit in for carry-in (送修) or mail-in (寄修) repair. */
export interface RepairOrder {
  id: string;
  caseId: string | null;
  customerId: string;
  region: string;
  channel: 'carry-in' | 'mail-in';
  serialNumber: string;
  productModel: string | null;
  contractId: string | null;
  warrantyEndsOn: string | null;
  inWarranty: boolean;
  condition: string;
  accessories: string[];
  photos: string[];
  fault: string | null;
  partNumber: string | null;
  quotePercent: string | null;
  quoteAmount: string | null;
  state: RepairState;
  carrier: string | null;
  trackingNumber: string | null;
  collectedBy: string | null;
  repairNotes: string | null;
  receivedBy: string;
  receivedAt: Date;
  diagnosedAt: Date | null;
  quotedAt: Date | null;
  decidedAt: Date | null;
  repairedAt: Date | null;
  returnedAt: Date | null;
  updatedAt: Date;
}
