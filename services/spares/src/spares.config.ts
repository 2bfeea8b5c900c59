import { z } from 'zod';
import { NeededByHours, parseNeededByHours } from './domain';

/** The spares service's own variables (validated at start with the shared ones; README "Configuration"). */
export const sparesConfig = z.object({
  /** when a part must be at the site if the engineer gives no date: hours from the request per severity */
  SPARES_NEEDED_BY_HOURS: z
    .string()
    .default('P1=4,P2=24,P3=72,P4=120')
    .transform((text, ctx): NeededByHours => {
      try {
        return parseNeededByHours(text);
      } catch (e) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: e instanceof Error ? e.message : String(e) });
        return z.NEVER;
      }
    }),
  /** days a part takes from another region's depot (the "earliest date" of out-of-stock answers) */
  SPARES_TRANSFER_DAYS: z.coerce.number().min(0).default(2),
  /** days to buy and stock in a part no depot has nor has on order */
  SPARES_REPLENISH_DAYS: z.coerce.number().min(0).default(7),
  /** days the replaced faulty part has to come back to the depot before it is flagged overdue */
  SPARES_RETURN_DAYS: z.coerce.number().int().min(1).default(10),
  /** out-of-warranty repair quote, % of the part's contract price (seed 004), unless the contract says otherwise */
  SPARES_REPAIR_QUOTE_PERCENT: z.coerce.number().min(0).max(100).default(12),
  /** days a signed contract's purchase plan has to be stocked in (domain §7: one week) */
  SPARES_PURCHASE_PLAN_DAYS: z.coerce.number().int().min(1).default(7),
  /** how often overdue returns are flagged and the daily depot reports made (0: off; tests call tick()) */
  SPARES_SWEEP_MS: z.coerce.number().int().min(0).default(60_000),
});

export type SparesSettings = z.infer<typeof sparesConfig>;
