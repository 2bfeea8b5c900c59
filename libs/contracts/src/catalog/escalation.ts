import { z } from 'zod';
import { Topics } from '../topics';
import { isoTime, Severity } from './common';

/** Tasks of other services whose deadline escalation holds. */
export const DeadlineKind = z.enum(['survey-callback', 'purchase-plan-stock-in', 'defective-return', 'inspection']);

/** What every fired escalation event carries: which clock, under which policy version, due when. */
const firedBase = {
  clockId: z.string().uuid(),
  caseId: z.string().uuid(),
  region: z.string(),
  severity: Severity,
  policyId: z.string(),
  policyVersion: z.number().int().min(1),
  /** idempotency key of the firing within the clock: `rung:<i>`, `warning:<target>`, `breach:<target>` */
  eventKey: z.string(),
  dueAt: isoTime,
  firedAt: isoTime,
};

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
  /** A pre-breach warning: `warnAtShare` of a target has elapsed on the clock. */
  'escalation.warning.v1': {
    topic: Topics.escalationEvents,
    schema: z.object({ ...firedBase, target: z.string(), breachAt: isoTime.nullable() }),
  },
  /** A target (response, diagnosis, resolution, on-site, …) was breached. */
  'escalation.target.breached.v1': {
    topic: Topics.escalationEvents,
    schema: z.object({ ...firedBase, target: z.string() }),
  },
  /** A rung of the escalation ladder was reached: tell these roles. */
  'escalation.rung.reached.v1': {
    topic: Topics.escalationEvents,
    schema: z.object({
      ...firedBase,
      target: z.string(),
      rungIndex: z.number().int().min(0),
      afterMinutes: z.number().min(0),
      label: z.string(),
      notifyRoles: z.array(z.string()),
      action: z.enum(['open-vendor-case']).optional(),
    }),
  },
  /** A rung with action `open-vendor-case` was reached: a case must be opened with the upstream vendor. */
  'escalation.vendor-case.required.v1': {
    topic: Topics.escalationEvents,
    schema: z.object({ ...firedBase, rungIndex: z.number().int().min(0) }),
  },
  /**
   * Seed 003: the downtime of a P1 episode under a contract, and the days it would earn if the
   * supplier caused it. Intake's warranty ledger counts it only while the case's downtime is
   * classified supplier-caused (`case.downtime.classified.v1`), recomputing on every change.
   */
  'escalation.warranty.extension-earned.v1': {
    topic: Topics.escalationEvents,
    schema: z.object({
      caseId: z.string().uuid(),
      clockId: z.string().uuid(),
      contractId: z.string(),
      downtimeMinutes: z.number().int().min(0),
      days: z.number().int().min(1),
      from: isoTime,
      to: isoTime,
    }),
  },
  /**
   * A task deadline held by the escalation engine (a survey callback, a purchase plan's stock-in)
   * passed without the task being done: fired once per deadline. Keyed by the case id when there is one.
   */
  'escalation.deadline.overdue.v1': {
    topic: Topics.escalationEvents,
    schema: z.object({
      deadlineId: z.string().uuid(),
      kind: DeadlineKind,
      /** the task's id in its own service (callback id, purchase plan id) */
      subjectId: z.string().uuid(),
      caseId: z.string().uuid().optional(),
      region: z.string(),
      /** roles to tell (notify resolves them in the region) */
      notifyRoles: z.array(z.string()),
      dueAt: isoTime,
      firedAt: isoTime,
    }),
  },
} as const;
