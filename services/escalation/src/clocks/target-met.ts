import { EntityManager } from 'typeorm';
import { CLOCK_COLUMNS, ClockRow } from './clock-plans';
import { MetMilestone, recordMilestone } from './case-facts';
import { measuredBy } from './clock-targets';
import { countMetOnCommit } from './sla-met';

/**
 * A target is met (the diagnosis, the first response, the engineer's arrival): the running clocks
 * of the case's current episode that measure it stop at that time — taken from the event, so a
 * late or redelivered event gives the same clocks — and fire nothing more. Rows locked in the
 * caller's transaction (`FOR UPDATE`, as every handler of a case's clocks does); events that fell
 * due before the milestone and have not fired yet (the loop lagging) fire first. The milestone
 * is recorded too (`case_milestones`), so a re-base starts no clock for a target already met.
 * Returns the stopped ids.
 */
export async function stopMetClocks(
  m: EntityManager,
  s: string,
  caseId: string,
  rowTargets: readonly string[],
  at: Date,
  stopReason: MetMilestone,
  firing: { fireDueBy(m: EntityManager, clocks: ClockRow[], at: Date): Promise<void> },
): Promise<string[]> {
  await recordMilestone(m, s, caseId, stopReason, at);
  const clocks: ClockRow[] = await m.query(
    `SELECT ${CLOCK_COLUMNS} FROM "${s}".sla_clocks
      WHERE case_id = $1 AND target = ANY($2::text[]) AND state = 'running'
        AND episode = (SELECT max(episode) FROM "${s}".sla_clocks WHERE case_id = $1)
      FOR UPDATE`,
    [caseId, rowTargets],
  );
  if (clocks.length === 0) return []; // none (the policy has no such target), or already stopped (by resolution)
  await firing.fireDueBy(m, clocks, at); // what fell due before the milestone fires, once
  const ids = clocks.map((k) => k.id);
  await stopClocks(m, s, ids, at, stopReason);
  return ids;
}

/** Stops clocks at `at` for `reason`; a wait open then ends for them there (nothing would close it later). */
export async function stopClocks(m: EntityManager, s: string, ids: string[], at: Date, reason: string): Promise<void> {
  if (ids.length === 0) return;
  const [stopped]: [Array<{ severity: string; region: string; target: string; breached: boolean }>, number] = await m.query(
    `UPDATE "${s}".sla_clocks k SET state = 'stopped', stopped_at = $2, stop_reason = $3, next_due_at = NULL, paused_since = NULL
      WHERE id = ANY($1::uuid[])
      RETURNING k.severity, k.region, k.target,
                EXISTS (SELECT 1 FROM "${s}".clock_firings f WHERE f.clock_id = k.id AND f.event_key LIKE 'breach:%') AS breached`,
    [ids, at, reason],
  );
  // a re-base replaces a clock: neither met nor breached
  if (reason !== 'rebased')
    countMetOnCommit(
      m,
      stopped.map((c) => ({ ...c, target: measuredBy(c.target) })),
    );
  await m.query(`UPDATE "${s}".clock_pauses SET to_at = GREATEST(from_at, $2) WHERE clock_id = ANY($1::uuid[]) AND to_at IS NULL`, [
    ids,
    at,
  ]);
}
