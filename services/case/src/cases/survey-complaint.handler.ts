import { Controller } from '@nestjs/common';
import { parseEventData } from '@aftersales/contracts';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
import { CasesService } from './cases.service';

/**
 * A satisfaction callback ended in a complaint (domain §8): open a complaint case about the
 * surveyed case through the same path as a complaint called in at intake — linked to the case
 * complained about and assigned to its owner's superior. The callback id is the request id, so
 * survey links the complaint back to its callback when `case.opened.v1` arrives.
 */
@Controller()
export class SurveyComplaintHandler {
  constructor(private readonly cases: CasesService) {}

  @OnEvent('survey.complaint.requested.v1', { consumer: 'case.complaint-from-survey' })
  async onComplaintRequested(event: Envelope<'survey.complaint.requested.v1'>, tx: HandlerContext): Promise<void> {
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
    await this.cases.openFromRequest({ ...event, type: 'intake.request.received.v1', data: request }, tx);
  }
}
