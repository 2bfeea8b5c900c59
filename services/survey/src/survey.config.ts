import { z } from 'zod';
import { isTimeZone, WEEKDAYS } from './domain/week';

/** The survey service's own variables (validated at start with the shared ones; README "Configuration"). */
export const surveyConfig = z.object({
  /** the weekday the weekly batch runs (for the week before) */
  SURVEY_WEEKLY_DAY: z.enum(WEEKDAYS).default('monday'),
  /** local time of day of the batch, HH:MM */
  SURVEY_WEEKLY_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour')
    .default('09:00'),
  /** the zone survey weeks and the batch time are counted in */
  SURVEY_TIME_ZONE: z.string().refine(isTimeZone, 'an IANA time zone such as Asia/Shanghai').default('Asia/Shanghai'),
  /**
   * each region's business calendar (an id of intake's calendar registry), `north=cn-north,south=cn-south`:
   * the batch runs on its business days in its zone, callback deadlines count its business hours
   */
  SURVEY_REGION_CALENDARS: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const out: Record<string, string> = {};
      for (const pair of v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)) {
        const [, region, calendarId] = /^([a-z0-9-]{1,64})=([A-Za-z0-9._:-]{1,128})$/.exec(pair) ?? [];
        if (region === undefined || calendarId === undefined)
          ctx.addIssue({ code: 'custom', message: `"${pair}" is not region=calendarId` });
        else out[region] = calendarId;
      }
      return out;
    }),
  /** where the one-time answer form is served; the token is appended as the last path segment */
  SURVEY_LINK_BASE_URL: z
    .string()
    .url()
    .refine((v) => /^https?:/.test(v), 'must start with http: or https:')
    .default('http://localhost:3005/answer'),
  /** how long an answer link stays valid */
  SURVEY_LINK_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(14 * 24),
  /** how long the service delivery manager has to call back after a low score */
  SURVEY_CALLBACK_DEADLINE_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(48),
  /** language of the invitation (notify picks the template) */
  SURVEY_LANGUAGE: z.enum(['zh-CN', 'en']).default('zh-CN'),
  /** how often a replica looks for a due weekly batch; 0 turns the timer off (tests call runDue) */
  SURVEY_BATCH_CHECK_MS: z.coerce.number().int().min(0).default(60_000),
});

export type SurveySettings = z.infer<typeof surveyConfig>;
