/**
 * Task deadlines other services hand to escalation (a survey callback, a purchase plan's stock-in,
 * a defective part's return): held like an SLA target, and when one passes undone, the roles of
 * its kind are told once. Pure data and rules; the worker in `deadlines/` applies them.
 */

export type DeadlineKind = 'survey-callback' | 'purchase-plan-stock-in' | 'defective-return' | 'inspection';
export type DeadlineState = 'open' | 'overdue' | 'met';

export const DEADLINE_KINDS: readonly DeadlineKind[] = ['survey-callback', 'purchase-plan-stock-in', 'defective-return', 'inspection'];

/**
 * Who hears of an overdue task, besides the task's owner: the callback of a low score is the
 * service delivery manager's (服务交付中心经理), so its overdue goes to them and their superior
 * (manager2, 服务交付中心总经理); a late stock-in or return to the manager and the technical manager.
 */
export const OVERDUE_ROLES: Record<DeadlineKind, readonly string[]> = {
  'survey-callback': ['service-delivery-manager', 'manager2'],
  'purchase-plan-stock-in': ['service-delivery-manager', 'technical-manager'],
  'defective-return': ['service-delivery-manager', 'technical-manager'],
  // a preventive-maintenance work order (巡检) whose report is not signed by its due time
  inspection: ['service-delivery-manager', 'technical-manager'],
};

/** A deadline fires when it is open and its due time has come (due exactly now counts). */
export function isOverdue(d: { state: DeadlineState; dueAt: Date | null }, now: Date): boolean {
  return d.state === 'open' && d.dueAt !== null && d.dueAt.getTime() <= now.getTime();
}
