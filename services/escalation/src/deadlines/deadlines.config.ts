import { z } from 'zod';

/** The deadline worker's variables (validated at start with the shared ones; README "Configuration"). */
export const deadlinesConfig = z.object({
  /** how often a replica claims passed task deadlines; 0 turns the timer off (tests call tick) */
  ESCALATION_DEADLINE_SWEEP_MS: z.coerce.number().int().min(0).default(15_000),
  /** deadlines claimed per transaction */
  ESCALATION_DEADLINE_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
});

export type DeadlineSettings = z.infer<typeof deadlinesConfig>;
