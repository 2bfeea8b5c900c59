import { intVariable } from '@aftersales/config';
import { z } from 'zod';

/**
 * The escalation service's own variables (validated at start with the shared ones; README
 * "Configuration", docs/adr for burst staging).
 */
export const escalationConfig = z.object({
  /** how long an idle due-now worker sleeps at most (bounds the pick-up of clocks another replica adds) */
  ESCALATION_FIRING_INTERVAL_MS: intVariable({ min: 1, default: 250 }),
  /** clocks per claim */
  ESCALATION_FIRING_BATCH: intVariable({ min: 1, default: 1000 }),
  /** due-now workers (at most the pool size minus two) */
  ESCALATION_FIRING_CONCURRENCY: intVariable({ min: 1, default: 2 }),
  /**
   * how far ahead dense windows are staged; 0 turns burst staging off. A minute (was 20 s): a burst
   * is written while the due-now workers are idle, well before it; the late-burst misses of the
   * benchmark hour were slots, not lead time
   */
  ESCALATION_FIRING_LOOKAHEAD_MS: intVariable({ min: 0, default: 60_000 }),
  /** width of a staging window: a staged batch commits at its window's end */
  ESCALATION_FIRING_WINDOW_MS: intVariable({ min: 1, default: 200 }),
  /** a window with at least this many clocks due is staged */
  ESCALATION_FIRING_DENSE: intVariable({ min: 1, default: 1000 }),
  /** staged transactions held at once (at most what the workers leave of the pool, minus two) */
  ESCALATION_FIRING_STAGED: intVariable({ min: 0, default: 6 }),
  /**
   * clocks per staged transaction: a whole window of a 30 000-clock second (6 000 a window) in
   * one batch; at 5 000 each window took two of the six slots and the burst's last windows got none
   */
  ESCALATION_FIRING_STAGE_BATCH: intVariable({ min: 1, default: 10_000 }),
  /** clocks written between two looks at the due-now workers */
  ESCALATION_FIRING_STAGE_CHUNK: intVariable({ min: 1, default: 1000 }),
  /** staged transactions writing at once */
  ESCALATION_FIRING_STAGE_WRITERS: intVariable({ min: 1, default: 2 }),
});

export type EscalationSettings = z.infer<typeof escalationConfig>;
