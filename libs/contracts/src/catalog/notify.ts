import { z } from 'zod';
import { Topics } from '../topics';

/** Events published by the notify service. */
export const notifyEvents = {
  'notify.notification.recorded.v1': {
    topic: Topics.notifyEvents,
    schema: z.object({
      notificationId: z.string().uuid(),
      caseId: z.string().uuid().optional(),
      region: z.string(),
      template: z.string(),
      channel: z.string(),
      recipient: z.string(),
    }),
  },
} as const;
