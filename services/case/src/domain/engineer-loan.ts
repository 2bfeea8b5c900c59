/** Where a loan of an engineer between regions stands (the lending side answers, then works). */
export type LoanState = 'requested' | 'approved' | 'declined' | 'completed';
export type LoanAction = 'approve' | 'decline' | 'work';

/** What may happen next to a loan in a state; anything else is a 409 naming these. */
export const LOAN_NEXT: Record<LoanState, LoanAction[]> = {
  requested: ['approve', 'decline'],
  approved: ['work'],
  declined: [],
  completed: [],
};
