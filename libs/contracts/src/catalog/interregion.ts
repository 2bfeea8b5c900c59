import { z } from 'zod';
import { Topics } from '../topics';
import { isoTime, Severity } from './common';

/**
 * Cross-region help (domain §2, architecture §9): one region asks another for an engineer (case)
 * or a part (spares). Every event travels on `aftersales.interregion.requests.v1`, keyed by the
 * ask id, and is mirrored to the other region by MirrorMaker 2. `fromRegion` is always the
 * region that asked and `toRegion` the one asked: the request is for `toRegion`, the answer and
 * the progress that follow are for `fromRegion`.
 */
const ask = {
  askId: z.string().uuid(),
  fromRegion: z.string().min(1),
  toRegion: z.string().min(1),
  /** the asking region's case the help is for */
  caseId: z.string().uuid(),
  caseNumber: z.string().optional(),
};
const Actor = z.object({ subject: z.string(), role: z.string() });

export const HelpOutcome = z.enum(['approved', 'declined']);

export const interregionEvents = {
  /** A region asks another region's manager to lend an engineer for one of its cases. */
  'case.loan.requested.v1': {
    topic: Topics.interregionRequests,
    schema: z.object({
      ...ask,
      severity: Severity,
      summary: z.string(),
      skills: z.array(z.string()).default([]),
      actor: Actor,
      at: isoTime,
    }),
  },
  /** The asked region's manager lends a named engineer, or declines with a reason. */
  'case.loan.answered.v1': {
    topic: Topics.interregionRequests,
    schema: z.object({
      ...ask,
      outcome: HelpOutcome,
      engineerId: z.string().optional(),
      engineerName: z.string().optional(),
      reason: z.string().optional(),
      actor: Actor,
      at: isoTime,
    }),
  },
  /** The loaned engineer's work on the asking region's case (a work-log entry there); `done` ends the loan. */
  'case.loan.worked.v1': {
    topic: Topics.interregionRequests,
    schema: z.object({
      ...ask,
      engineerId: z.string(),
      engineerName: z.string(),
      text: z.string(),
      minutes: z.number().int().min(0).optional(),
      done: z.boolean(),
      actor: Actor,
      at: isoTime,
    }),
  },
  /** A region asks another region's depots for a part its own depots lack. */
  'spares.part-ask.requested.v1': {
    topic: Topics.interregionRequests,
    schema: z.object({
      ...ask,
      severity: Severity,
      partNumber: z.string(),
      quantity: z.number().int().min(1),
      neededBy: isoTime,
      actor: Actor,
      at: isoTime,
    }),
  },
  /** The asked region's manager approved the transfer (stock held at `depotId`) or it was declined (or out of stock). */
  'spares.part-ask.answered.v1': {
    topic: Topics.interregionRequests,
    schema: z.object({
      ...ask,
      outcome: HelpOutcome,
      partNumber: z.string(),
      quantity: z.number().int().min(1),
      depotId: z.string().optional(),
      reason: z.string().optional(),
      actor: Actor,
      at: isoTime,
    }),
  },
  /** The part on its way from the asked region: shipped, then delivered at the asking region's site. */
  'spares.part-ask.progressed.v1': {
    topic: Topics.interregionRequests,
    schema: z.object({
      ...ask,
      step: z.enum(['shipped', 'delivered']),
      partNumber: z.string(),
      quantity: z.number().int().min(1),
      depotId: z.string(),
      carrier: z.string().optional(),
      trackingNumber: z.string().optional(),
      courier: z.string().optional(),
      actor: Actor,
      at: isoTime,
    }),
  },
} as const;
