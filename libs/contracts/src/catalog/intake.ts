import { z } from 'zod';
import { Topics } from '../topics';
import { Attachment, Channel, Contact, ContractTerms, Coverage, isoDate, isoTime, ServiceMode, Severity, WarrantyStatus } from './common';

/** Preventive maintenance a contract's plan schedules (domain §9). */
export const MaintenanceKind = z.enum(['inspection', 'remote-check', 'maintenance-record']);
export type MaintenanceKind = z.infer<typeof MaintenanceKind>;

/** How a visit or remote check is announced to the customer beforehand (domain §9: letter, fax or e-mail). */
export const AnnouncementChannel = z.enum(['letter', 'fax', 'email']);
export type AnnouncementChannel = z.infer<typeof AnnouncementChannel>;

/** Someone the customer told us to write to: a designated contact, with the site's address for a letter. */
const Recipient = z.object({
  name: z.string(),
  email: z.string().optional(),
  phone: z.string().optional(),
  fax: z.string().optional(),
  address: z.string().optional(),
});

/** Events published by the intake service, keyed by request id (registry events by their record id). */
/** A maintenance occurrence: which plan's, under which contract, for which customer and site. */
const occurrenceFields = {
  occurrenceId: z.string().uuid(),
  planId: z.string().uuid(),
  contractId: z.string(),
  customerId: z.string(),
  region: z.string(),
  siteId: z.string().optional(),
};

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
      productLine: z.string().optional(),
      serialNumber: z.string().optional(),
      receivedAt: isoTime,
      siteId: z.string().optional(),
      contactId: z.string().optional(),
      assetId: z.string().optional(),
      serviceMode: ServiceMode.default('remote'),
      warranty: WarrantyStatus.default('unknown'),
      contract: ContractTerms.optional(),
      /** for a complaint: the case complained about */
      complaintAbout: z.object({ caseId: z.string().uuid().optional(), caseNumber: z.string().optional() }).optional(),
      attachments: z.array(Attachment).default([]),
    }),
  },
  /** A repeated report of an open problem: no new case, the call is logged on the existing one. */
  'intake.request.linked.v1': {
    topic: Topics.intakeRequests,
    schema: z.object({
      requestId: z.string().uuid(),
      /** the earlier request whose case this call belongs to */
      linkedRequestId: z.string().uuid(),
      region: z.string(),
      customerId: z.string(),
      channel: Channel,
      symptom: z.string(),
      receivedAt: isoTime,
    }),
  },
  /** Seed 002: a request not taken by a hotline engineer within 15 minutes. */
  'intake.request.handoff-overdue.v1': {
    topic: Topics.intakeRequests,
    schema: z.object({
      requestId: z.string().uuid(),
      region: z.string(),
      customerId: z.string(),
      severity: Severity,
      receivedAt: isoTime,
      overdueAt: isoTime,
    }),
  },
  /** A mail answering a case (case number in the subject): logged on the case. */
  'intake.email.reply-received.v1': {
    topic: Topics.intakeRequests,
    schema: z.object({
      messageId: z.string(),
      caseNumber: z.string(),
      region: z.string(),
      customerId: z.string().optional(),
      from: z.string(),
      subject: z.string(),
      text: z.string(),
      receivedAt: isoTime,
      attachments: z.array(Attachment).default([]),
    }),
  },
  /** An after-hours voicemail became a task due at the next business opening. */
  'intake.voicemail.recorded.v1': {
    topic: Topics.intakeRequests,
    schema: z.object({
      voicemailId: z.string().uuid(),
      region: z.string(),
      customerId: z.string().optional(),
      callerNumber: z.string(),
      dueAt: isoTime,
      recordedAt: isoTime,
    }),
  },
  /** The warranty end of an asset or contract moved (e.g. extended for supplier-caused downtime). */
  'intake.warranty.changed.v1': {
    topic: Topics.intakeRequests,
    schema: z.object({ contractId: z.string(), assetId: z.string().optional(), warrantyEndsOn: isoDate, reason: z.string() }),
  },
  /**
   * A contract was signed (created in the registry): spares drafts its purchase plan from the models
   * of the assets it covers (domain §7: parts stocked in within a week). Keyed by the contract id.
   */
  'intake.contract.signed.v1': {
    topic: Topics.intakeRequests,
    schema: z.object({
      contractId: z.string(),
      customerId: z.string(),
      region: z.string(),
      coverage: Coverage,
      startsOn: isoDate,
      endsOn: isoDate,
      warrantyEndsOn: isoDate.optional(),
      /** the installed assets under the contract when it was signed */
      assets: z.array(z.object({ assetId: z.string(), model: z.string(), productLine: z.string().optional() })).default([]),
      signedAt: isoTime,
    }),
  },
  /**
   * A scheduled inspection or remote check is announced to the customer ahead of time (lead days
   * from the plan): notify delivers it on `channel` to `recipients`. Keyed by the contract id.
   */
  'intake.maintenance.announced.v1': {
    topic: Topics.intakeRequests,
    schema: z.object({
      ...occurrenceFields,
      kind: MaintenanceKind,
      channel: AnnouncementChannel,
      recipients: z.array(Recipient),
      scheduledFor: isoTime,
      announcedAt: isoTime,
    }),
  },
  /**
   * An inspection or remote check fell due on the contract's calendar: the case service opens its
   * work order (a case of type inspection) with the checklist. Keyed by the contract id; the
   * occurrence id is the work order's inspection id.
   */
  'intake.inspection.due.v1': {
    topic: Topics.intakeRequests,
    schema: z.object({
      ...occurrenceFields,
      siteName: z.string().optional(),
      kind: z.enum(['on-site', 'remote']),
      contact: Contact,
      contract: ContractTerms,
      assets: z.array(z.object({ assetId: z.string(), model: z.string(), serialNumber: z.string(), productLine: z.string().optional() })),
      checklist: z.array(z.object({ itemId: z.string(), assetId: z.string().optional(), model: z.string().optional(), text: z.string() })),
      scheduledFor: isoTime,
      /** done (report signed) by then, else escalation's inspection deadline fires */
      dueBy: isoTime,
    }),
  },
  /**
   * A month of a contract ended on its calendar: the case service makes the monthly maintenance
   * record from the month's cases, inspections, remote sessions and parts. Keyed by the contract id.
   */
  'intake.maintenance-record.due.v1': {
    topic: Topics.intakeRequests,
    schema: z.object({
      occurrenceId: z.string().uuid(),
      contractId: z.string(),
      customerId: z.string(),
      region: z.string(),
      month: z.string().regex(/^\d{4}-\d{2}$/),
      /** the month as instants in the contract calendar's zone: [from, to) */
      from: isoTime,
      to: isoTime,
      contact: Contact.optional(),
    }),
  },
  /**
   * A maintenance agreement ends in `daysBefore` days (60, 30, 7 by default): notify reminds the
   * customer and the region's account manager to renew. Keyed by the agreement id.
   */
  'intake.agreement.renewal-due.v1': {
    topic: Topics.intakeRequests,
    schema: z.object({
      agreementId: z.string().uuid(),
      customerId: z.string(),
      region: z.string(),
      contractId: z.string().optional(),
      assetIds: z.array(z.string()),
      endsOn: isoDate,
      daysBefore: z.number().int().min(0),
      recipients: z.array(Recipient),
      notifyRoles: z.array(z.string()),
      dueAt: isoTime,
    }),
  },
  /** A business calendar of the registry was created or changed (escalation counts contract clocks on it). */
  'intake.calendar.changed.v1': {
    topic: Topics.intakeRequests,
    schema: z.object({
      calendarId: z.string(),
      /** a BusinessCalendarDefinition (see @aftersales/calendar); validated by the consumer */
      definition: z.record(z.unknown()),
      changedAt: isoTime,
    }),
  },
} as const;
