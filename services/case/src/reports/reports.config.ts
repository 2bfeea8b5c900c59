import { z } from 'zod';

/** The reports capability's variables (merged into the case service's; README "Configuration"). */
export const reportsConfig = z.object({
  /** the zone weeks and months of management reports are counted in */
  CASE_REPORT_TIME_ZONE: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'not an IANA time zone')
    .default('Asia/Shanghai'),
});

export type ReportsSettings = z.infer<typeof reportsConfig>;
