import { z } from 'zod';
import { parseReminderDays } from '../domain/agreements';
import { isTimeZone } from '../domain/local-time';

/**
 * Intake's variables for contracts over their life (validated at start with the shared ones;
 * README "Configuration"): the maintenance scheduler and agreement renewal reminders.
 */
export const maintenanceConfig = z.object({
  /** how often a replica looks for due inspections, records, announcements and reminders (0: off; tests call tick) */
  INTAKE_MAINTENANCE_TICK_MS: z.coerce.number().int().min(0).default(60_000),
  /** occurrences and reminders claimed per transaction */
  INTAKE_MAINTENANCE_BATCH: z.coerce.number().int().min(1).max(10_000).default(200),
  /** renewal reminders of a maintenance agreement: days before its end */
  INTAKE_AGREEMENT_REMINDER_DAYS: z
    .string()
    .default('60,30,7')
    .transform((text, ctx) => {
      try {
        return parseReminderDays(text);
      } catch (e) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: e instanceof Error ? e.message : String(e) });
        return z.NEVER;
      }
    }),
  /** local time of day reminders go out, in the agreement calendar's zone */
  INTAKE_REMINDER_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM')
    .default('09:00'),
  /** the zone of contracts and agreements without a calendar */
  INTAKE_MAINTENANCE_TIME_ZONE: z.string().refine(isTimeZone, 'not an IANA time zone').default('Asia/Shanghai'),
});

export type MaintenanceSettings = z.infer<typeof maintenanceConfig>;
