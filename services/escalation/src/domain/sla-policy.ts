/**
 * SLA policies as data: targets per severity and an escalation ladder (who is told when a case is
 * still not diagnosed / resolved after N business minutes on the contract's calendar).
 *
 * Presets come from the seed manuals (docs/domain.md §6):
 * - LADDER_A — seed 000 (故障时限 → 项目负责人 / 技术经理 / 技术总监 / 总经理), measured on fault
 *   duration, i.e. the `resolution` clock.
 * - LADDER_B — seed 003 (确诊时限与升级上报), measured on time to diagnosis; "到上级供应商开Case"
 *   is a rung with `action: 'open-vendor-case'`. The seed's table is flattened; the P3/P4 columns
 *   follow the reading in domain.md §6 (the seed's last cell reads "96小时 Manager1", which the
 *   domain table reads as Manager3 for P4, the only reading that keeps each column climbing).
 *
 * In both presets the ladder's own target (the time limit the ladder enforces) equals its first
 * rung: the first notification *is* the breach of that limit, and `warnAtShare` (0.8) gives the
 * pre-breach warning at 80 % of it.
 */

import { z } from 'zod';

export type Severity = 'P1' | 'P2' | 'P3' | 'P4';
export const SEVERITIES: readonly Severity[] = ['P1', 'P2', 'P3', 'P4'];

export type TargetKind = 'response' | 'diagnosis' | 'resolution' | 'onsite' | 'email-reply';
export const TARGET_KINDS: readonly TargetKind[] = ['response', 'diagnosis', 'resolution', 'onsite', 'email-reply'];

export type PauseReason = 'customer' | 'parts' | 'vendor';
export const PAUSE_REASONS: readonly PauseReason[] = ['customer', 'parts', 'vendor'];

export interface Rung {
  /** business minutes on the clock (pauses excluded) after which this rung fires */
  afterMinutes: number;
  /** stable role identifiers, see `ROLES` */
  notifyRoles: string[];
  action?: 'open-vendor-case';
  label: string;
}

export interface SeverityPolicy {
  /** target minutes (business minutes on the contract calendar) per kind */
  targets: Partial<Record<TargetKind, number>>;
  ladder: { target: TargetKind; rungs: Rung[] };
  /** share of each target at which a pre-breach warning is due, e.g. 0.8 */
  warnAtShare?: number;
  /** pause reasons that stop this clock */
  pausesOn: PauseReason[];
}

export interface SlaPolicy {
  id: string;
  version: number;
  name: string;
  /** clocks run on the calendar of the case's contract (business hours or 7x24) */
  calendarMode: 'contract';
  severities: Record<Severity, SeverityPolicy>;
}

/** Stable role identifiers used by ladders; notify resolves them to people per region. */
export const ROLES = {
  projectLead: 'project-lead', // 项目负责人
  technicalManager: 'technical-manager', // 技术经理
  technicalDirector: 'technical-director', // 技术总监
  generalManager: 'general-manager', // 总经理
  manager1: 'manager1', // 地区技术部经理、热线中心经理、客户服务经理
  manager2: 'manager2', // 服务交付中心总经理
  manager3: 'manager3', // 公司总经理
  seniorEngineer: 'senior-engineer', // 高级工程师
  vendor: 'vendor', // 上级供应商 (upstream vendor; rung also opens a vendor case)
  customerServiceManager: 'customer-service-manager', // 客户服务经理 (told at once for P1/P2)
  serviceDeliveryManager: 'service-delivery-manager', // 服务交付中心经理
  hotlineEngineer: 'hotline-engineer', // 热线工程师
  caseOwner: 'case-owner', // the case's named owner
} as const;

export const KNOWN_ROLES: ReadonlySet<string> = new Set(Object.values(ROLES));

/** Other time limits named by the seeds, in minutes. */
export const ONSITE_TARGETS = {
  /** hardware fault: engineer on site within 1 hour in the home city (seed 004) */
  hardwareHomeCity: 60,
  /** major fault: engineer dispatched within 1 hour (seed 004) */
  majorFaultDispatch: 60,
  /** software fault under warranty: on site within 24 hours (seed 003) */
  softwareFault: 24 * 60,
} as const;

/** Email answered within 24 hours (seed 000: "EMAIL响应时间 … 24小时内回复"). */
export const EMAIL_REPLY_TARGET_MINUTES = 24 * 60;

const H = 60;
const DEFAULT_WARN_AT_SHARE = 0.8;

function rung(afterMinutes: number, notifyRoles: string[], label: string, action?: 'open-vendor-case'): Rung {
  return action ? { afterMinutes, notifyRoles, action, label } : { afterMinutes, notifyRoles, label };
}

// --- Ladder A (seed 000): fault duration → who is told --------------------------------------

const A_PL = (m: number, h: string) => rung(m, [ROLES.projectLead], `${h}: project lead (项目负责人)`);
const A_TM = (m: number, h: string) => rung(m, [ROLES.technicalManager], `${h}: technical manager (技术经理)`);
const A_TD = (m: number, h: string) => rung(m, [ROLES.technicalDirector], `${h}: technical director (技术总监)`);
const A_GM = (m: number, h: string) => rung(m, [ROLES.generalManager], `${h}: general manager (总经理)`);

function ladderA(rungs: [Rung, ...Rung[]]): SeverityPolicy {
  return {
    targets: { resolution: rungs[0].afterMinutes, 'email-reply': EMAIL_REPLY_TARGET_MINUTES },
    ladder: { target: 'resolution', rungs },
    warnAtShare: DEFAULT_WARN_AT_SHARE,
    pausesOn: ['customer'],
  };
}

export const LADDER_A: SlaPolicy = {
  id: 'ladder-a',
  version: 1,
  name: 'Ladder A — fault duration (seed 000, 故障时限)',
  calendarMode: 'contract',
  severities: {
    P1: ladderA([A_PL(1 * H, '1h'), A_TM(2 * H, '2h'), A_TD(4 * H, '4h'), A_GM(12 * H, '12h')]),
    P2: ladderA([A_PL(2 * H, '2h'), A_TM(4 * H, '4h'), A_TD(12 * H, '12h'), A_GM(24 * H, '24h')]),
    P3: ladderA([A_PL(4 * H, '4h'), A_TM(12 * H, '12h'), A_TD(24 * H, '24h')]),
    P4: ladderA([A_PL(12 * H, '12h'), A_TM(24 * H, '24h')]),
  },
};

// --- Ladder B (seed 003): time to diagnosis ---------------------------------------------------

const B_M1 = (m: number, h: string) =>
  rung(m, [ROLES.manager1, ROLES.seniorEngineer], `${h}: Manager1 / senior engineer (Manager1/高级工程师)`);
const B_M2 = (m: number, h: string) => rung(m, [ROLES.manager2], `${h}: Manager2 (服务交付中心总经理)`);
const B_M3 = (m: number, h: string) => rung(m, [ROLES.manager3], `${h}: Manager3 (公司总经理)`);
const B_VENDOR = (m: number, h: string) =>
  rung(m, [ROLES.vendor], `${h}: open a case with the upstream vendor (到上级供应商开Case)`, 'open-vendor-case');

function ladderB(rungs: [Rung, ...Rung[]]): SeverityPolicy {
  return {
    targets: { diagnosis: rungs[0].afterMinutes, onsite: ONSITE_TARGETS.softwareFault },
    ladder: { target: 'diagnosis', rungs },
    warnAtShare: DEFAULT_WARN_AT_SHARE,
    pausesOn: ['customer'],
  };
}

export const LADDER_B: SlaPolicy = {
  id: 'ladder-b',
  version: 1,
  name: 'Ladder B — time to diagnosis (seed 003, 确诊时限与升级上报)',
  calendarMode: 'contract',
  severities: {
    P1: ladderB([B_M1(10, '10min'), B_M2(1 * H, '1h'), B_VENDOR(4 * H, '4h'), B_M3(24 * H, '24h')]),
    P2: ladderB([B_M1(1 * H, '1h'), B_M2(4 * H, '4h'), B_VENDOR(24 * H, '24h'), B_M3(48 * H, '48h')]),
    P3: ladderB([B_M1(4 * H, '4h'), B_VENDOR(24 * H, '24h'), B_M2(48 * H, '48h'), B_M3(72 * H, '72h')]),
    P4: ladderB([B_M1(24 * H, '24h'), B_VENDOR(48 * H, '48h'), B_M2(72 * H, '72h'), B_M3(96 * H, '96h')]),
  },
};

export const PRESET_POLICIES: readonly SlaPolicy[] = [LADDER_A, LADDER_B];

/** A copy of `policy` with extra or changed targets for the given severities (default: all). */
export function withTargets(
  policy: SlaPolicy,
  targets: Partial<Record<TargetKind, number>>,
  severities: readonly Severity[] = SEVERITIES,
): SlaPolicy {
  const next = structuredClone(policy);
  for (const s of severities) next.severities[s].targets = { ...next.severities[s].targets, ...targets };
  return next;
}

// --- validation ------------------------------------------------------------------------------

export interface PolicyProblem {
  /** JSON-ish path of the offending field, e.g. `severities.P2.ladder.rungs[1].afterMinutes` */
  path: string;
  message: string;
}

export interface ValidatePolicyOptions {
  /** roles accepted besides `KNOWN_ROLES` (e.g. roles a region defines) */
  extraRoles?: Iterable<string>;
}

/** Every issue of a schema carries this message, whatever went wrong (`input` is the offending value). */
const says = (message: string | ((input: unknown) => string)) => ({
  errorMap: (_issue: z.ZodIssueOptionalMessage, ctx: { data: unknown }) => ({
    message: typeof message === 'string' ? message : message(ctx.data),
  }),
});
const quoted = (what: string) => (input: unknown) => `${what} ${JSON.stringify(input)}`;
const minutes = z.number(says('must be a number of minutes >= 0')).finite().nonnegative();
const required = z.string(says('required')).refine((v) => v.trim() !== '', 'required');

function rungSchema(roles: ReadonlySet<string>) {
  return z
    .object(
      {
        afterMinutes: minutes,
        notifyRoles: z.array(
          z.string(says(quoted('unknown role'))).refine(
            (r) => roles.has(r),
            (r) => ({ message: `unknown role ${JSON.stringify(r)}` }),
          ),
          says('required: an array of roles'),
        ),
        action: z.literal('open-vendor-case', says(quoted('unknown action'))).optional(),
        label: required,
      },
      says('must be an object'),
    )
    .superRefine((r, ctx) => {
      if (r.notifyRoles.length === 0 && r.action === undefined)
        ctx.addIssue({ code: 'custom', path: ['notifyRoles'], message: 'a rung must notify someone or take an action' });
    });
}

function severitySchema(roles: ReadonlySet<string>) {
  const rungs = z.array(z.unknown(), says('required: an array (may be empty)')).superRefine((list, ctx) => {
    // each rung on its own, then their order (a rung must come after the one before it)
    let prev = -Infinity;
    list.forEach((r, i) => {
      const parsed = rungSchema(roles).safeParse(r);
      if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [i, ...issue.path] });
      const after = (r as Partial<Rung> | null)?.afterMinutes;
      if (!minutes.safeParse(after).success) return;
      if ((after as number) <= prev)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'afterMinutes'],
          message: `rungs out of order: ${after} is not after the previous rung (${prev})`,
        });
      prev = after as number;
    });
  });
  return z.object(
    {
      targets: z.record(
        z.enum(TARGET_KINDS as [TargetKind, ...TargetKind[]], says('unknown target kind')),
        minutes,
        says('required (may be empty)'),
      ),
      warnAtShare: z.number(says('must be a number strictly between 0 and 1')).gt(0).lt(1).optional(),
      pausesOn: z.array(
        z.enum(PAUSE_REASONS as [PauseReason, ...PauseReason[]], says(quoted('unknown pause reason'))),
        says('required: an array of pause reasons (may be empty)'),
      ),
      ladder: z.object(
        { target: z.enum(TARGET_KINDS as [TargetKind, ...TargetKind[]], says(quoted('unknown target kind'))), rungs },
        says('required'),
      ),
    },
    says('missing severity'),
  );
}

/**
 * The shape of a policy version, for untrusted input (a request body). `roles`: the roles a rung may
 * notify. Unknown severities are named before missing ones.
 */
export function slaPolicySchema(roles: ReadonlySet<string> = KNOWN_ROLES) {
  const severity = severitySchema(roles);
  return z.object(
    {
      id: required,
      version: z.number(says('must be an integer >= 1')).int().min(1),
      name: required,
      calendarMode: z.literal('contract', says("must be 'contract'")),
      severities: z.record(z.string(), z.unknown(), says('required: an object with P1, P2, P3 and P4')).superRefine((sevs, ctx) => {
        for (const key of Object.keys(sevs))
          if (!(SEVERITIES as readonly string[]).includes(key))
            ctx.addIssue({ code: 'custom', path: [key], message: 'unknown severity (expected P1..P4)' });
        for (const sev of SEVERITIES) {
          const parsed = severity.safeParse(sevs[sev]);
          if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [sev, ...issue.path] });
        }
      }),
    },
    says('policy must be an object'),
  );
}

/** `severities.P2.ladder.rungs[1].afterMinutes` for a zod path. */
const pathOf = (path: ReadonlyArray<string | number>) =>
  path.reduce<string>((out, k) => (typeof k === 'number' ? `${out}[${k}]` : out ? `${out}.${k}` : k), '');

/**
 * Problems with a policy (empty when valid): missing severities, negative or non-numeric times,
 * rungs out of order, unknown roles, actions, target kinds or pause reasons, a bad warning share.
 * Accepts untrusted input (e.g. a request body); checked by `slaPolicySchema`.
 */
export function validatePolicy(p: unknown, options: ValidatePolicyOptions = {}): PolicyProblem[] {
  const roles = new Set<string>([...KNOWN_ROLES, ...(options.extraRoles ?? [])]);
  const parsed = slaPolicySchema(roles).safeParse(p);
  return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: pathOf(i.path), message: i.message }));
}
