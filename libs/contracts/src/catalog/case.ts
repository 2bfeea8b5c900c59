import { z } from 'zod';
import { Topics } from '../topics';
import { Contact, isoTime, Severity } from './common';

/** Events published by the case service. */
export const caseEvents = {
  'case.opened.v1': {
    topic: Topics.caseEvents,
    schema: z.object({
      caseId: z.string().uuid(),
      caseNumber: z.string(),
      requestId: z.string().uuid(),
      region: z.string(),
      customerId: z.string(),
      contact: Contact,
      severity: Severity,
      symptom: z.string(),
      serialNumber: z.string().optional(),
      openedAt: isoTime,
    }),
  },
} as const;
