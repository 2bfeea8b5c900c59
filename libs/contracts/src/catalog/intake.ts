import { z } from 'zod';
import { Topics } from '../topics';
import { Channel, Contact, isoTime, Severity } from './common';

/** Events published by the intake service. */
export const intakeEvents = {
  'intake.request.received.v1': {
    topic: Topics.intakeRequests,
    schema: z.object({
      requestId: z.string().uuid(),
      region: z.string(),
      customerId: z.string(),
      contact: Contact,
      channel: Channel,
      severity: Severity,
      symptom: z.string(),
      errorCodes: z.array(z.string()).default([]),
      productModel: z.string().optional(),
      serialNumber: z.string().optional(),
      receivedAt: isoTime,
    }),
  },
} as const;
