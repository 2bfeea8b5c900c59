import { z } from 'zod';
import { Topics } from '../topics';
import { isoDate, isoTime } from './common';

/** Classes of parts (a bounded metrics label). */
export const PartClass = z.enum(['disk', 'memory', 'cpu', 'board', 'power', 'fan', 'network', 'controller', 'cable', 'unit', 'other']);
export type PartClass = z.infer<typeof PartClass>;

/** Who did it: a user subject with a role, or `system:spares`. */
const Actor = z.object({ subject: z.string(), role: z.string() });

/** What every event about a part request carries (keyed by the case id, or the request id without a case). */
const requestRef = {
  requestId: z.string().uuid(),
  caseId: z.string().uuid().optional(),
  /** the region of the case (or requester) the part is for */
  region: z.string(),
  depotId: z.string(),
  depotRegion: z.string(),
  partNumber: z.string(),
  partClass: PartClass,
  quantity: z.number().int().min(1),
};

/** A delivery step: picked, shipped, delivered, installed. */
const deliveryStep = { ...requestRef, neededBy: isoTime, actor: Actor, at: isoTime };

/**
 * Events published by the spares service on `aftersales.spares.events.v1`, keyed by the case id
 * (or by the part request / plan / depot id where there is no case).
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
  /** Stock is held for the request at a depot of the case's region, or at another region's after its manager approved. */
  'spares.part.reserved.v1': {
    topic: Topics.sparesEvents,
    schema: z.object({ ...requestRef, neededBy: isoTime, crossRegion: z.boolean(), actor: Actor, at: isoTime }),
  },
  /** Only another region's depot has the part: held there until that region's manager approves or rejects the transfer. */
  'spares.transfer.requested.v1': {
    topic: Topics.sparesEvents,
    schema: z.object({ ...requestRef, neededBy: isoTime, actor: Actor, at: isoTime }),
  },
  'spares.transfer.rejected.v1': {
    topic: Topics.sparesEvents,
    schema: z.object({ ...requestRef, reason: z.string(), actor: Actor, at: isoTime }),
  },
  /** A reservation given back to stock (cancelled, or a transfer rejected): `outstandingForCase` parts are still awaited. */
  'spares.part.released.v1': {
    topic: Topics.sparesEvents,
    schema: z.object({ ...requestRef, reason: z.string(), outstandingForCase: z.number().int().min(0), actor: Actor, at: isoTime }),
  },
  'spares.part.picked.v1': { topic: Topics.sparesEvents, schema: z.object(deliveryStep) },
  /** On its way: by a carrier with a tracking number, or carried by a named courier or engineer. */
  'spares.part.shipped.v1': {
    topic: Topics.sparesEvents,
    schema: z.object({
      ...deliveryStep,
      carrier: z.string().optional(),
      trackingNumber: z.string().optional(),
      courier: z.string().optional(),
    }),
  },
  /** At the site; `outstandingForCase` parts of the case are still awaited (0: the case no longer waits on parts). */
  'spares.part.delivered.v1': {
    topic: Topics.sparesEvents,
    schema: z.object({ ...deliveryStep, late: z.boolean(), outstandingForCase: z.number().int().min(0) }),
  },
  'spares.part.installed.v1': {
    topic: Topics.sparesEvents,
    schema: z.object({ ...deliveryStep, returnId: z.string().uuid().optional() }),
  },
  /** Delivered after the case needed it. */
  'spares.delivery.late.v1': {
    topic: Topics.sparesEvents,
    schema: z.object({ ...requestRef, neededBy: isoTime, deliveredAt: isoTime, lateMinutes: z.number().int().min(1) }),
  },
  /** A delivered part failed within its DOA window: exchanged by a new request, the dead unit expected back. */
  'spares.doa.exchanged.v1': {
    topic: Topics.sparesEvents,
    schema: z.object({
      ...requestRef,
      exchangeRequestId: z.string().uuid(),
      returnId: z.string().uuid(),
      deliveredAt: isoTime,
      reason: z.string(),
      actor: Actor,
      at: isoTime,
    }),
  },
  /** The replaced faulty (or DOA) part is awaited back at a depot by `dueAt`. */
  'spares.return.expected.v1': {
    topic: Topics.sparesEvents,
    schema: z.object({ returnId: z.string().uuid(), ...requestRef, doa: z.boolean(), dueAt: isoTime, at: isoTime }),
  },
  'spares.return.overdue.v1': {
    topic: Topics.sparesEvents,
    schema: z.object({ returnId: z.string().uuid(), ...requestRef, dueAt: isoTime, at: isoTime }),
  },
  'spares.return.received.v1': {
    topic: Topics.sparesEvents,
    schema: z.object({ returnId: z.string().uuid(), ...requestRef, condition: z.string(), late: z.boolean(), actor: Actor, at: isoTime }),
  },
  /** What became of a returned part: repaired back to stock, sent to the vendor (RMA), or scrapped; who decided and why. */
  'spares.return.disposed.v1': {
    topic: Topics.sparesEvents,
    schema: z.object({
      returnId: z.string().uuid(),
      ...requestRef,
      outcome: z.enum(['repaired', 'sent-to-vendor', 'scrapped']),
      rmaNumber: z.string().optional(),
      reason: z.string(),
      actor: Actor,
      at: isoTime,
    }),
  },
  /** A carry-in or mail-in repair order moved; keyed by the case id, or the order id without a case. */
  'spares.repair-order.updated.v1': {
    topic: Topics.sparesEvents,
    schema: z.object({
      repairOrderId: z.string().uuid(),
      caseId: z.string().uuid().optional(),
      customerId: z.string(),
      region: z.string(),
      channel: z.enum(['carry-in', 'mail-in']),
      from: z.string().nullable(),
      to: z.string(),
      inWarranty: z.boolean(),
      quoteAmount: z.string().optional(),
      /** why the customer declined the quote (the case closes with it) */
      reason: z.string().optional(),
      actor: Actor,
      at: isoTime,
    }),
  },
  /** A part's available stock at a depot fell below its minimum level (once per crossing); keyed by the depot id. */
  'spares.stock.below-minimum.v1': {
    topic: Topics.sparesEvents,
    schema: z.object({
      depotId: z.string(),
      region: z.string(),
      partNumber: z.string(),
      partClass: PartClass,
      available: z.number().int(),
      minLevel: z.number().int().min(0),
      at: isoTime,
    }),
  },
  /** The day's stock report of a depot (once per depot and day); keyed by the depot id. */
  'spares.depot.daily-report.v1': {
    topic: Topics.sparesEvents,
    schema: z.object({
      depotId: z.string(),
      region: z.string(),
      day: isoDate,
      parts: z.number().int().min(0),
      belowMinimum: z.array(z.object({ partNumber: z.string(), available: z.number().int(), minLevel: z.number().int() })),
      overdueReturns: z.number().int().min(0),
      at: isoTime,
    }),
  },
} as const;
