import { z } from 'zod';
import { Topics } from '../topics';
import { isoTime } from './common';

/**
 * Events published by the spares service on `aftersales.spares.events.v1`, keyed by the case id
 * (or by the part request / plan id where there is no case). The spares work adds its other
 * events here; these two are fixed first because escalation holds the plan's deadline.
 */
export const sparesEvents = {
  /** A signed contract's purchase plan: its parts must be stocked in by `dueAt` (7 days, domain §7). */
  'spares.purchase-plan.drafted.v1': {
    topic: Topics.sparesEvents,
    schema: z.object({
      planId: z.string().uuid(),
      contractId: z.string(),
      customerId: z.string(),
      region: z.string(),
      dueAt: isoTime,
      lines: z.array(z.object({ partNumber: z.string(), quantity: z.number().int().min(1) })),
    }),
  },
  'spares.purchase-plan.stocked-in.v1': {
    topic: Topics.sparesEvents,
    schema: z.object({ planId: z.string().uuid(), region: z.string(), stockedInAt: isoTime }),
  },
} as const;
