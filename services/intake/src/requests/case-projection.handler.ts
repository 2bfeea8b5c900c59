import { Controller } from '@nestjs/common';
import { Envelope, HandlerContext, OnEvent, Outbox } from '@aftersales/messaging';

/** Statuses in which nobody has taken the case yet (seed 002 hand-off). */
const NOT_TAKEN = ['received', 'triaged'];

/**
 * Keeps the case's number and state on its request (and the calls linked to it): duplicates are
 * matched only while the case is open, and the hand-off clock stops once the case is taken.
 */
@Controller()
export class CaseProjectionHandler {
  constructor(private readonly outbox: Outbox) {}

  private get table(): string {
    return `"${this.outbox.schema}".service_requests`;
  }

  @OnEvent('case.opened.v1', { consumer: 'intake.requests.case-opened' })
  async onOpened(event: Envelope<'case.opened.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const c = event.data;
    await m.query(
      `UPDATE ${this.table}
          SET case_id = $2, case_number = $3,
              case_status = COALESCE(case_status, 'received'), case_status_at = COALESCE(case_status_at, $4)
        WHERE id = $1 OR linked_request_id = $1`,
      [c.requestId, c.caseId, c.caseNumber, c.openedAt],
    );
  }

  @OnEvent('case.status.changed.v1', { consumer: 'intake.requests.case-status' })
  async onStatusChanged(event: Envelope<'case.status.changed.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const c = event.data;
    // an older transition arriving late never overwrites a newer one
    await m.query(
      `UPDATE ${this.table}
          SET case_status = $2, case_status_at = $3,
              taken_at = CASE WHEN taken_at IS NULL AND NOT ($2 = ANY($4::text[])) THEN $3::timestamptz ELSE taken_at END
        WHERE case_id = $1 AND (case_status_at IS NULL OR case_status_at <= $3)`,
      [c.caseId, c.to, c.at, NOT_TAKEN],
    );
  }

  @OnEvent('case.assigned.v1', { consumer: 'intake.requests.case-assigned' })
  async onAssigned(event: Envelope<'case.assigned.v1'>, { manager: m }: HandlerContext): Promise<void> {
    const c = event.data;
    await m.query(`UPDATE ${this.table} SET taken_at = COALESCE(taken_at, $2) WHERE case_id = $1`, [c.caseId, c.at]);
  }
}
