import { CaseFacts, ClockRow, MetMilestone } from './clock-row';
import { DOWNTIME, isLadderRow, LEGACY_LADDER, measuredBy, RESOLUTION, rowTargetsAtOpen, rowTargetsAtReopen } from './clock-targets';
import { SlaPolicy, TargetKind } from './sla-policy';

/** Why a re-base stops the clock of a target its version drops. */
export const REBASED = 'rebased';

/** The milestone that meets each target: a target met in the episode gets no clock from a re-base. */
const MET_BY: Partial<Record<TargetKind, { milestone: MetMilestone; anyEpisode: boolean }>> = {
  diagnosis: { milestone: 'diagnosed', anyEpisode: false },
  response: { milestone: 'responded', anyEpisode: true },
  'email-reply': { milestone: 'responded', anyEpisode: true },
  onsite: { milestone: 'arrived', anyEpisode: false },
};

/**
 * The clocks one case's current episode starts (row targets) and stops under `policy`, by the
 * same rules as at the case's open or reopen (on-site also after a dispatch); none for a legacy or
 * a resolved case. A target met in the episode (`facts`) gets no clock; a clock an earlier re-base
 * stopped does not count as present, so its target, wanted again, runs again.
 */
export function rebaseChanges(
  policy: SlaPolicy,
  episode: readonly ClockRow[],
  facts: CaseFacts | undefined,
): { start: string[]; stop: ClockRow[] } | undefined {
  // a legacy main clock measures every target but its own separate ones: left as it is
  if (episode.some((k) => k.target === LEGACY_LADDER)) return undefined;
  // resolved since the cases were listed (the rows are locked now)
  if (episode.some((k) => k.stop_reason !== null && RESOLUTION.has(k.stop_reason))) return undefined;
  const first = episode[0];
  if (!first) return undefined; // no clock, nothing to re-base
  const severity = policy.severities[first.severity];
  const has = (t: string) => episode.some((k) => k.target === t);
  const terms = {
    severity: first.severity,
    contractId: first.contract_id,
    // cases opened before 1700000000005 have no recorded terms: their clocks tell what they can
    serviceMode: (facts?.serviceMode ?? (has('onsite') ? 'on-site' : undefined)) as 'on-site' | undefined,
    channel: (facts?.channel ?? (has('email-reply') ? 'email' : undefined)) as 'email' | undefined,
  };
  const n = first.episode;
  const reached = (k: TargetKind) => {
    const met = MET_BY[k];
    const episodes = met && facts?.milestones.get(met.milestone);
    return !!episodes && (met.anyEpisode ? episodes.size > 0 : episodes.has(n));
  };
  const wanted = new Set(n === 1 ? rowTargetsAtOpen(severity, terms) : rowTargetsAtReopen(severity, terms));
  if (severity?.targets.onsite !== undefined && facts?.milestones.get('dispatched')?.has(n)) wanted.add('onsite');
  const wantedKinds = new Set([...wanted].map(measuredBy).filter((k): k is TargetKind => k !== null));
  const presentKinds = new Set(episode.filter((k) => k.stop_reason !== REBASED).map((k) => measuredBy(k.target)));
  const start = [...wanted].filter((t) => {
    const kind = measuredBy(t);
    return kind !== null && !presentKinds.has(kind) && !reached(kind);
  });
  const stop = episode.filter((k) => {
    const kind = measuredBy(k.target);
    return k.state === 'running' && !isLadderRow(k.target) && k.target !== DOWNTIME && kind !== null && !wantedKinds.has(kind);
  });
  return start.length || stop.length ? { start, stop } : undefined;
}
