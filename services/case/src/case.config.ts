import { z } from 'zod';

/** The case service's own variables (validated at start with the shared ones; README "Configuration"). */
export const caseConfig = z.object({
  /** how often cases left without an owner are offered to the assignment policy again; 0 turns it off */
  CASE_ASSIGN_RETRY_MS: z.coerce.number().int().min(0).default(60_000),
});

export type CaseSettings = z.infer<typeof caseConfig>;
