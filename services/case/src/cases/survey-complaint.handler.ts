import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventData, EventEnvelope, parseEventData } from '@aftersales/contracts';
import { CasesService } from './cases.service';

/**
 * A satisfaction callback ended in a complaint (domain §8): open a complaint case about the
 * surveyed case through the same path as a complaint called in at intake — linked to the case
 * complained about and assigned to its owner's superior. The callback id is the request id, so
 * survey links the complaint back to its callback when `case.opened.v1` arrives.
 *
 * A bare `@EventPattern` (the server still validates the data against the contract): the complaint
 * path records its own inbox entry and transaction (`case.open-from-request`, keyed by this event's
 * id), so a redelivery is a no-op without a second, nested transaction around it.
 */
@Controller()
export class SurveyComplaintHandler {
  constructor(private readonly cases: CasesService) {}

  @EventPattern('survey.complaint.requested.v1')
  async onComplaintRequested(@Payload() event: EventEnvelope<EventData<'survey.complaint.requested.v1'>>): Promise<void> {
    const c = event.data;
    const request = parseEventData('intake.request.received.v1', {
      requestId: c.callbackId,
      region: c.region,
      customerId: c.customerId,
      contact: c.contact,
      channel: 'phone',
      severity: c.severity,
      symptom: c.symptom,
      receivedAt: c.requestedAt,
      serviceMode: 'complaint',
      complaintAbout: { caseId: c.caseId },
    });
    await this.cases.openFromRequest({ ...event, type: 'intake.request.received.v1', data: request });
  }
}
