import { EntityManager } from 'typeorm';
import { ClockRow, MetMilestone } from '../domain';
import { ClockRepository } from './clock.repository';

/**
 * A target is met (the diagnosis, the first response, the engineer's arrival): the running clocks
 * of the case's current episode that measure it stop at that time — taken from the event, so a
 * late or redelivered event gives the same clocks — and fire nothing more. Rows locked in the
 * caller's transaction (as every handler of a case's clocks does); events that fell due before the
 * milestone and have not fired yet (the loop lagging) fire first. The milestone is recorded too
 * (`case_milestones`), so a re-base starts no clock for a target already met. Returns the stopped ids.
 */
export async function stopMetClocks(
  m: EntityManager,
  clocks: ClockRepository,
  caseId: string,
  rowTargets: readonly string[],
  at: Date,
  stopReason: MetMilestone,
  firing: { fireDueBy(m: EntityManager, clocks: ClockRow[], at: Date): Promise<void> },
): Promise<string[]> {
  await clocks.recordMilestone(m, caseId, stopReason, at);
  const met = await clocks.lockCurrentEpisode(m, caseId, { targets: rowTargets, running: true });
  if (met.length === 0) return []; // none (the policy has no such target), or already stopped (by resolution)
  await firing.fireDueBy(m, met, at); // what fell due before the milestone fires, once
  const ids = met.map((k) => k.id);
  await clocks.stop(m, ids, at, stopReason);
  return ids;
}
