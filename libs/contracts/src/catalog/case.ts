import { z } from 'zod';
import { Topics } from '../topics';
import { Channel, Contact, ContractTerms, isoTime, ServiceMode, Severity, Tier, WarrantyStatus } from './common';

export const CaseStatus = z.enum([
  'received',
  'triaged',
  'assigned',
  'in-progress',
  'on-site',
  'escalated',
  'vendor-case-open',
  'waiting-customer',
  'waiting-parts',
  'waiting-vendor',
  'resolved',
  'confirmed',
  'closed',
  'reopened',
]);
export type CaseStatus = z.infer<typeof CaseStatus>;

/** `inspection`: a preventive-maintenance work order (巡检 or remote check) opened by the contract's plan, not by a fault. */
export const CaseType = z.enum(['incident', 'complaint', 'inspection']);

/**
 * Who caused a downtime (seed 003: only stoppages "因软件质量及服务问题" — our software, our
 * service, our parts — extend the warranty; seed 004 excludes misuse and force majeure).
 */
export const DowntimeCause = z.enum(['supplier', 'customer', 'third-party', 'force-majeure']);
export type DowntimeCause = z.infer<typeof DowntimeCause>;

/** One checklist item of an inspection work order (from the asset models' checklists). */
export const ChecklistItem = z.object({
  itemId: z.string(),
  assetId: z.string().optional(),
  model: z.string().optional(),
  text: z.string(),
});

/** Who did it: a user subject with a role, or `system:<service>`. */
const Actor = z.object({ subject: z.string(), role: z.string() });

const caseRef = { caseId: z.string().uuid(), caseNumber: z.string(), region: z.string(), customerId: z.string() };

/** Events published by the case service on `aftersales.case.events.v1`, keyed by case id. */
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
      caseType: CaseType.default('incident'),
      assetId: z.string().optional(),
      productLine: z.string().optional(),
      serviceMode: ServiceMode.default('remote'),
      warranty: WarrantyStatus.default('unknown'),
      contract: ContractTerms.optional(),
      /** complaints: the case complained about */
      relatedCaseId: z.string().uuid().optional(),
      errorCodes: z.array(z.string()).default([]),
      productModel: z.string().optional(),
      channel: Channel.optional(),
    }),
  },
  /** Every lifecycle transition, in order per case. Clocks pause on waiting-*, stop on resolved, restart on reopened. */
  'case.status.changed.v1': {
    topic: Topics.caseEvents,
    schema: z.object({
      ...caseRef,
      severity: Severity,
      from: CaseStatus,
      to: CaseStatus,
      actor: Actor,
      reason: z.string().optional(),
      at: isoTime,
    }),
  },
  'case.assigned.v1': {
    topic: Topics.caseEvents,
    schema: z.object({
      ...caseRef,
      severity: Severity,
      tier: Tier,
      engineerId: z.string(),
      engineerName: z.string(),
      actor: Actor,
      reason: z.string(),
      at: isoTime,
    }),
  },
  /** Seed 003 §1.7: a P1/P2 case went to a named expert; the customer-service manager must know. */
  'case.manager-informed.v1': {
    topic: Topics.caseEvents,
    schema: z.object({ ...caseRef, severity: Severity, expertId: z.string(), expertName: z.string(), at: isoTime }),
  },
  'case.visit.updated.v1': {
    topic: Topics.caseEvents,
    schema: z.object({
      ...caseRef,
      visitId: z.string().uuid(),
      engineerId: z.string(),
      plannedArrivalAt: isoTime,
      arrivedAt: isoTime.nullable(),
      completedAt: isoTime.nullable(),
    }),
  },
  /**
   * The case's first response to the customer, once per case: the first public note or call a staff
   * member logs, or a staff move into remote work or a wait on the customer. Stops the response and
   * e-mail-reply clocks.
   */
  'case.customer-responded.v1': {
    topic: Topics.caseEvents,
    schema: z.object({
      ...caseRef,
      /** the work-log entry that answered: a `note` or `call`, or the `status` move (then `status` says into what) */
      kind: z.enum(['note', 'call', 'status']),
      status: CaseStatus.optional(),
      workLogEntryId: z.string().uuid(),
      actor: Actor,
      at: isoTime,
    }),
  },
  /**
   * The case was diagnosed (确诊): the fault is known. Once per episode — the first diagnosis after
   * the case opened or was last reopened; a later one is only logged. Stops the diagnosis clocks
   * (ladder B measures time to diagnosis).
   */
  'case.diagnosed.v1': {
    topic: Topics.caseEvents,
    schema: z.object({
      ...caseRef,
      severity: Severity,
      /** the public work-log entry (kind `diagnosis`) that records it */
      workLogEntryId: z.string().uuid(),
      summary: z.string(),
      errorCodes: z.array(z.string()).default([]),
      actor: Actor,
      at: isoTime,
    }),
  },
  'case.vendor-case.updated.v1': {
    topic: Topics.caseEvents,
    schema: z.object({ ...caseRef, vendor: z.string(), vendorCaseNumber: z.string(), vendorStatus: z.string(), at: isoTime }),
  },
  'case.service-report.signed.v1': {
    topic: Topics.caseEvents,
    schema: z.object({ ...caseRef, reportId: z.string().uuid(), visitId: z.string().uuid(), signedAt: isoTime }),
  },
  'case.knowledge.published.v1': {
    topic: Topics.caseEvents,
    schema: z.object({
      articleId: z.string().uuid(),
      version: z.number().int().min(1),
      title: z.string(),
      productLine: z.string().optional(),
      productModel: z.string().optional(),
      symptom: z.string(),
      errorCodes: z.array(z.string()),
      solution: z.string(),
      language: z.enum(['zh-CN', 'en']),
      sourceCaseId: z.string().uuid().optional(),
      publishedAt: isoTime,
    }),
  },
  /**
   * An engineer set or corrected who caused the case's downtime (audited, with a reason). Intake's
   * warranty ledger counts only supplier-caused downtime; `periods`, when given, replace the
   * downtime escalation measured (e.g. the system was down before it was reported).
   */
  'case.downtime.classified.v1': {
    topic: Topics.caseEvents,
    schema: z.object({
      ...caseRef,
      severity: Severity,
      assetId: z.string().optional(),
      contractId: z.string().optional(),
      cause: DowntimeCause,
      previousCause: DowntimeCause.nullable(),
      reason: z.string().min(1),
      periods: z.array(z.object({ from: isoTime, to: isoTime })).optional(),
      actor: Actor,
      at: isoTime,
    }),
  },
  /**
   * A preventive-maintenance work order (case type `inspection`) was opened from the contract's plan.
   * Not a `case.opened.v1`: no incident clocks, no acknowledgement, no survey; escalation holds its
   * completion deadline (`dueBy`) instead.
   */
  'case.inspection.opened.v1': {
    topic: Topics.caseEvents,
    schema: z.object({
      ...caseRef,
      inspectionId: z.string().uuid(),
      contractId: z.string(),
      siteId: z.string().optional(),
      kind: z.enum(['on-site', 'remote']),
      scheduledFor: isoTime,
      dueBy: isoTime,
      items: z.number().int().min(0),
      at: isoTime,
    }),
  },
  /** The inspection report was signed by the customer and the engineer: the work order is done. */
  'case.inspection.completed.v1': {
    topic: Topics.caseEvents,
    schema: z.object({
      ...caseRef,
      inspectionId: z.string().uuid(),
      contractId: z.string(),
      kind: z.enum(['on-site', 'remote']),
      items: z.number().int().min(0),
      failed: z.number().int().min(0),
      findings: z.number().int().min(0),
      signedAt: isoTime,
    }),
  },
  /**
   * A month's maintenance record (每月提供维护记录, seed 004) of a contract was reviewed and is to be
   * sent to the customer: notify delivers it to `contact`. Keyed by the record id.
   */
  'case.maintenance-record.sent.v1': {
    topic: Topics.caseEvents,
    schema: z.object({
      recordId: z.string().uuid(),
      contractId: z.string(),
      customerId: z.string(),
      region: z.string(),
      month: z.string().regex(/^\d{4}-\d{2}$/),
      contact: Contact.optional(),
      documentUrl: z.string(),
      counts: z.record(z.string(), z.number().int().min(0)),
      sentAt: isoTime,
    }),
  },
  'case.knowledge.withdrawn.v1': {
    topic: Topics.caseEvents,
    schema: z.object({ articleId: z.string().uuid(), at: isoTime }),
  },
} as const;
