import { z } from 'zod';
import { Topics } from '../topics';
import { isoTime, Severity } from './common';

/** Events published by the escalation service. */
export const escalationEvents = {
  'escalation.clock.started.v1': {
    topic: Topics.escalationEvents,
    schema: z.object({
      clockId: z.string().uuid(),
      caseId: z.string().uuid(),
      region: z.string(),
      severity: Severity,
      target: z.string(),
      startedAt: isoTime,
      dueAt: isoTime,
    }),
  },
} as const;
