import { EntityManager } from 'typeorm';
import { CLOCK_COLUMNS, ClockRow } from './clock-plans';
import { Milestone, recordMilestone } from './case-facts';

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
  stopReason: Exclude<Milestone, 'dispatched'>,
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
  await m.query(
    `UPDATE "${s}".sla_clocks SET state = 'stopped', stopped_at = $2, stop_reason = $3, next_due_at = NULL, paused_since = NULL
      WHERE id = ANY($1::uuid[])`,
    [ids, at, stopReason],
  );
  // met during a wait: the wait ends for these clocks where they stop (nothing would close it later)
  await m.query(`UPDATE "${s}".clock_pauses SET to_at = GREATEST(from_at, $2) WHERE clock_id = ANY($1::uuid[]) AND to_at IS NULL`, [
    ids,
    at,
  ]);
  return ids;
}
