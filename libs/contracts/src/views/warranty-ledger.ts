/** Whose warranty a ledger is about: an asset's own, or the contract's (an asset without its own). */
export interface WarrantySubject {
  type: 'asset' | 'contract';
  id: string;
}

/** A warranty as the desk shows it (intake's answer, read by the desk): where its end came from. */
export interface WarrantyLedgerView {
  subject: WarrantySubject;
  endsOn: string | null;
  /** the end before any extension (the end itself when never extended) */
  baseEndsOn: string | null;
  /** days added in all */
  extendedDays: number;
  extensions: Array<{
    caseId: string;
    caseNumber: string | null;
    cause: string | null;
    hours: number;
    days: number;
    counted: boolean;
    source: string;
    note: string;
    by: string | null;
    at: string;
  }>;
}
