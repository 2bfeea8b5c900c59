import { intVariable, optionalIntVariable, positiveVariable, timeZoneVariable, unsetIfEmpty } from '@aftersales/config';
import { z } from 'zod';

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
});

export type IntakeSettings = z.infer<typeof intakeConfig>;
