import { EntityManager } from 'typeorm';
import { ClockRow, isLadderRow, LEGACY_LADDER, ladderRow, measuredBy, SlaPolicy } from '../domain';
import { ClockRepository } from './clock.repository';
import { FiringRepository } from './firing.repository';

/**
 * A re-based version's ladder may measure another target than the case's ladder clock does
 * (ladder A's resolution → ladder B's diagnosis). Each row keeps measuring what it measured — its
 * start, waits and stop stay true — and only the ladder's role moves: the old ladder clock carries
 * on as its target's own clock, and the clock of the new target (if the case has one, in any state)
 * becomes the ladder's. Without one, the re-base starts it like any target the version adds (none
 * when the case has met it: the ladder has nothing left to escalate).
 * Changes `episode`'s rows in place and returns those whose target changed.
 */
export async function followLadderTarget(
  m: EntityManager,
  clocks: ClockRepository,
  policy: SlaPolicy,
  episode: ClockRow[],
): Promise<ClockRow[]> {
  const first = episode[0];
  if (!first || first.policy_id !== policy.id || episode.some((k) => k.target === LEGACY_LADDER)) return [];
  const kind = policy.severities[first.severity]?.ladder.target;
  if (!kind) return [];
  const changed: Array<[ClockRow, string]> = [];
  // an episode may have no ladder clock: an earlier change of roles found the new target met
  const ladder = episode.find((k) => isLadderRow(k.target));
  if (ladder) {
    const old = measuredBy(ladder.target);
    if (!old || old === kind) return [];
    changed.push([ladder, old]);
  }
  const own = episode.find((k) => k.target === kind);
  if (own) changed.push([own, ladderRow(kind)]);
  if (changed.length === 0) return [];
  for (const [row, target] of changed) {
    row.target = target;
    row.policy_version = policy.version; // the role it plays now is the version's
  }
  await clocks.retarget(
    m,
    changed.map(([r, target]) => ({ id: r.id, target })),
    policy.version,
  );
  return changed.map(([r]) => r);
}

/**
 * Moves each fired event of an episode to the row that fires it now — rungs to the ladder's clock,
 * a target's warning and breach to the clock that measures it — so that nothing fired before a
 * change of roles fires again. Returns the ids of the rows that took some.
 */
export async function handOverFirings(m: EntityManager, firings: FiringRepository, episode: readonly ClockRow[]): Promise<string[]> {
  const owners: Array<{ key: string; id: string }> = [];
  for (const k of episode) {
    if (k.target === LEGACY_LADDER) return []; // the legacy main clock fires everything: nothing to sort
    if (isLadderRow(k.target)) owners.push({ key: 'rung:%', id: k.id });
    const kind = measuredBy(k.target);
    if (kind) owners.push({ key: `warning:${kind}`, id: k.id }, { key: `breach:${kind}`, id: k.id });
  }
  if (owners.length === 0) return [];
  return firings.handOverFirings(
    m,
    episode.map((k) => k.id),
    owners,
  );
}
