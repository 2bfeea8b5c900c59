/** A part one region asked of another (both regions keep a row with the same id). */
export interface PartAsk {
  id: string;
  /** `asking`: this region asked; `asked`: another region asked this one */
  side: 'asking' | 'asked';
  fromRegion: string;
  toRegion: string;
  caseId: string;
  caseNumber: string | null;
  severity: 'P1' | 'P2' | 'P3' | 'P4';
  partNumber: string;
  quantity: number;
  neededBy: Date;
  state: PartAskState;
  /** asked side: the part request holding the stock at this region's depot */
  requestId: string | null;
  depotId: string | null;
  reason: string | null;
  requestedBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export type PartAskState = 'requested' | 'approved' | 'declined' | 'shipped' | 'delivered';

/** Steps still to come: the asking region's case waits on the part until it is delivered or declined. */
export const ASK_OUTSTANDING: PartAskState[] = ['requested', 'approved', 'shipped'];
