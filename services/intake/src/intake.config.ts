import { intVariable, optionalIntVariable, positiveVariable, timeZoneVariable, unsetIfEmpty } from '@aftersales/config';
import { bool } from '@aftersales/config';
import { z } from 'zod';

/** `name:password` pairs, comma-separated (a password may hold `:` but not `,`). */
const smtpUsers = z.preprocess(
  unsetIfEmpty,
  z
    .string()
    .transform((v, ctx) => {
      const users = new Map<string, string>();
      for (const pair of v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)) {
        const at = pair.indexOf(':');
        if (at <= 0 || at === pair.length - 1) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'comma-separated name:password pairs' });
          return z.NEVER;
        }
        users.set(pair.slice(0, at), pair.slice(at + 1));
      }
      return users;
    })
    .optional(),
);

/** The intake service's own variables (validated at start with the shared ones; README "Configuration"). */
export const intakeConfig = z.object({
  /** the SMTP listener's port (0: a random one); no listener when unset */
  INTAKE_SMTP_PORT: optionalIntVariable({ min: 0, max: 65535 }),
  INTAKE_SMTP_HOST: z.preprocess(unsetIfEmpty, z.string().default('0.0.0.0')),
  /** the only recipient the listener accepts mail for */
  INTAKE_SUPPORT_EMAIL: z.preprocess(
    unsetIfEmpty,
    z.string().trim().toLowerCase().email('an e-mail address').default('support@aftersales.local'),
  ),
  /** the largest mail accepted (bytes) */
  INTAKE_SMTP_MAX_BYTES: intVariable({ min: 1, default: 10 * 1024 * 1024 }),
  /** a repeat report of the same customer and asset within this links to the open request */
  INTAKE_DUPLICATE_WINDOW_HOURS: positiveVariable({ default: 72 }),
  /** a request no engineer has taken by then is flagged (seed 002) */
  INTAKE_HANDOFF_MINUTES: positiveVariable({ default: 15 }),
  /** how often to look for requests past their hand-off time; 0 turns the timer off */
  INTAKE_HANDOFF_SWEEP_MS: intVariable({ min: 0, default: 30_000 }),
  /** the desk's time zone: "today" for warranty ends, which are local dates */
  INTAKE_TIME_ZONE: timeZoneVariable({ default: 'UTC' }),
  /** PEM certificate chain and key for STARTTLS (files, e.g. a mounted Secret); no STARTTLS when unset */
  INTAKE_SMTP_TLS_CERT_FILE: z.preprocess(unsetIfEmpty, z.string().optional()),
  INTAKE_SMTP_TLS_KEY_FILE: z.preprocess(unsetIfEmpty, z.string().optional()),
  /** refuse MAIL FROM before STARTTLS */
  INTAKE_SMTP_REQUIRE_TLS: z.preprocess(unsetIfEmpty, bool.default('false')),
  /** who may send (AUTH PLAIN or LOGIN, only after STARTTLS); when set, mail without AUTH is refused */
  INTAKE_SMTP_USERS: smtpUsers,
});

export type IntakeSettings = z.infer<typeof intakeConfig>;

/** STARTTLS needs both files; required TLS and AUTH need STARTTLS (passwords never travel in clear). */
export function smtpSecurityRule(
  e: Pick<IntakeSettings, 'INTAKE_SMTP_TLS_CERT_FILE' | 'INTAKE_SMTP_TLS_KEY_FILE' | 'INTAKE_SMTP_REQUIRE_TLS' | 'INTAKE_SMTP_USERS'>,
  ctx: z.RefinementCtx,
): void {
  const problem = (variable: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [variable], message });
  if (!!e.INTAKE_SMTP_TLS_CERT_FILE !== !!e.INTAKE_SMTP_TLS_KEY_FILE)
    problem(
      e.INTAKE_SMTP_TLS_CERT_FILE ? 'INTAKE_SMTP_TLS_KEY_FILE' : 'INTAKE_SMTP_TLS_CERT_FILE',
      'set both the certificate and the key file',
    );
  const tls = !!e.INTAKE_SMTP_TLS_CERT_FILE;
  const needs = 'needs INTAKE_SMTP_TLS_CERT_FILE and INTAKE_SMTP_TLS_KEY_FILE';
  if (e.INTAKE_SMTP_REQUIRE_TLS && !tls) problem('INTAKE_SMTP_REQUIRE_TLS', needs);
  if (e.INTAKE_SMTP_USERS && !tls) problem('INTAKE_SMTP_USERS', `${needs} (AUTH only after STARTTLS)`);
}
