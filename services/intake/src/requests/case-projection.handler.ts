import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventData, EventEnvelope } from '@aftersales/contracts';
import { SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';

/** Statuses in which nobody has taken the case yet (seed 002 hand-off). */
const NOT_TAKEN = ['received', 'triaged'];

/**
 * Keeps the case's number and state on its request (and the calls linked to it): duplicates are
 * matched only while the case is open, and the hand-off clock stops once the case is taken.
 */
@Controller()
export class CaseProjectionHandler {
  constructor(@Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime) {}

  private get table(): string {
    return `"${this.rt.outbox.schema}".service_requests`;
  }

  @EventPattern('case.opened.v1')
  async onOpened(@Payload() event: EventEnvelope<EventData<'case.opened.v1'>>): Promise<void> {
    const c = event.data;
    await this.rt.inbox.handleOnce('intake.requests.case-opened', event, async (m) => {
      await m.query(
        `UPDATE ${this.table}
            SET case_id = $2, case_number = $3,
                case_status = COALESCE(case_status, 'received'), case_status_at = COALESCE(case_status_at, $4)
          WHERE id = $1 OR linked_request_id = $1`,
        [c.requestId, c.caseId, c.caseNumber, c.openedAt],
      );
    });
  }

  @EventPattern('case.status.changed.v1')
  async onStatusChanged(@Payload() event: EventEnvelope<EventData<'case.status.changed.v1'>>): Promise<void> {
    const c = event.data;
    await this.rt.inbox.handleOnce('intake.requests.case-status', event, async (m) => {
      // an older transition arriving late never overwrites a newer one
      await m.query(
        `UPDATE ${this.table}
            SET case_status = $2, case_status_at = $3,
                taken_at = CASE WHEN taken_at IS NULL AND NOT ($2 = ANY($4::text[])) THEN $3::timestamptz ELSE taken_at END
          WHERE case_id = $1 AND (case_status_at IS NULL OR case_status_at <= $3)`,
        [c.caseId, c.to, c.at, NOT_TAKEN],
      );
    });
  }

  @EventPattern('case.assigned.v1')
  async onAssigned(@Payload() event: EventEnvelope<EventData<'case.assigned.v1'>>): Promise<void> {
    const c = event.data;
    await this.rt.inbox.handleOnce('intake.requests.case-assigned', event, async (m) => {
      await m.query(`UPDATE ${this.table} SET taken_at = COALESCE(taken_at, $2) WHERE case_id = $1`, [c.caseId, c.at]);
    });
  }
}
