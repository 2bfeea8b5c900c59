import { Inject, Injectable } from '@nestjs/common';
import { Clock, SERVICE_CONFIG } from '@aftersales/platform';
import { EntityManager } from 'typeorm';
import { SlaPolicy, TargetKind } from '../domain';
import { CalendarStore } from '../policies/calendar-store';
import { CaseFacts, caseFactsOf, MetMilestone } from './case-facts';
import { CLOCK_COLUMNS, ClockPlans, ClockRow } from './clock-plans';
import { startedEvents } from './clock-starter.handler';
import { DOWNTIME, isLadderRow, LEGACY_LADDER, measuredBy, RESOLUTION, rowTargetsAtOpen, rowTargetsAtReopen } from './clock-targets';
import { handOverFirings, followLadderTarget } from './ladder-handover';
import { restartRebasedClock, startLateClock, writePlannedBreach } from './late-clock';
import { stopClocks } from './target-met';
import { SlaClock } from './sla-clock.entity';
import { ServiceConfig } from '@aftersales/config';
import { Outbox } from '@aftersales/messaging';

export interface RebaseResult {
  policyId: string;
  version: number;
  /** running clocks moved to the version */
  clocks: number;
  /** clocks started for targets the version adds */
  started: number;
  /** clocks an earlier re-base stopped, running again because the version has their target again */
  restarted: number;
  /** clocks stopped (`rebased`) for targets the version drops */
  stopped: number;
  /** clocks whose role changed because the version's ladder measures another target (`followLadderTarget`) */
  retargeted: number;
}

/** Why a re-base stops the clock of a target its version drops. */
const REBASED = 'rebased';

/** The milestone that meets each target: a target met in the episode gets no clock from a re-base. */
const MET_BY: Partial<Record<TargetKind, { milestone: MetMilestone; anyEpisode: boolean }>> = {
  diagnosis: { milestone: 'diagnosed', anyEpisode: false },
  response: { milestone: 'responded', anyEpisode: true },
  'email-reply': { milestone: 'responded', anyEpisode: true },
  onsite: { milestone: 'arrived', anyEpisode: false },
};

/**
 * An admin moves every running clock of a policy to its latest version (`POST /policies/{id}/rebase`).
 * Each clock is re-planned under the version (rungs and targets already fired stay fired), and each
 * case's current episode gets the clocks the version's targets call for: a target the version adds
 * starts a clock counted from the episode's start, with its waits so far — unless the case has met it
 * already (`case_milestones`) — and a clock of a target the version drops stops (`rebased`). Which
 * targets apply follows the same rules as at the case's open or reopen (`rowTargetsAtOpen` /
 * `rowTargetsAtReopen`; on-site also after a dispatch). A target dropped by an earlier re-base and
 * added back runs again on its stopped clock, the time between counting. If the version's ladder
 * measures another target, the ladder's role moves to the clock of that target
 * (`followLadderTarget`), and what each row fired stays fired under the row that fires it now.
 */
@Injectable()
export class ClockRebase {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly outbox: Outbox,
    private readonly plans: ClockPlans,
    private readonly calendars: CalendarStore,
    private readonly clock: Clock,
  ) {}

  async rebase(m: EntityManager, latest: SlaPolicy): Promise<RebaseResult> {
    const s = this.config.database.schema;
    const now = this.clock.now();
    // every case under the policy whose current episode is not resolved — one whose clocks all
    // stopped at met targets (ladder B's at the diagnosis) may still need a clock the version adds
    const open: Array<{ case_id: string }> = await m.query(
      `SELECT DISTINCT k.case_id FROM "${s}".sla_clocks k
        WHERE k.policy_id = $1
          AND NOT EXISTS (SELECT 1 FROM "${s}".sla_clocks r
                           WHERE r.case_id = k.case_id AND (r.episode > k.episode OR (r.episode = k.episode AND r.stop_reason = ANY($2::text[]))))`,
      [latest.id, [...RESOLUTION]],
    );
    const caseIds = open.map((r) => r.case_id);
    // every row of their current episodes, the stopped ones too (a met target's clock stays met),
    // locked in the order the case handlers lock them (per case, by target)
    const rows: Array<ClockRow & { stop_reason: string | null }> = caseIds.length
      ? await m.query(
          `SELECT ${CLOCK_COLUMNS}, stop_reason FROM "${s}".sla_clocks k
            WHERE case_id = ANY($1::uuid[]) AND episode = (SELECT max(episode) FROM "${s}".sla_clocks WHERE case_id = k.case_id)
            ORDER BY case_id, target FOR UPDATE`,
          [caseIds],
        )
      : [];
    const facts = await caseFactsOf(m, s, caseIds);
    const byCase = new Map<string, typeof rows>();
    for (const r of rows) {
      const list = byCase.get(r.case_id);
      if (list) list.push(r);
      else byCase.set(r.case_id, [r]);
    }
    // the ladder's role first: which row fires the rungs decides what the re-base starts and stops
    const retargeted = new Map<string, ClockRow[]>();
    for (const [caseId, episode] of byCase) {
      const changed = await followLadderTarget(m, s, latest, episode);
      if (changed.length) retargeted.set(caseId, changed);
    }
    const moved = rows.filter((k) => k.state === 'running' && k.policy_id === latest.id && k.policy_version !== latest.version);
    await m.query(`UPDATE "${s}".sla_clocks SET policy_version = $2 WHERE id = ANY($1::uuid[])`, [moved.map((c) => c.id), latest.version]);
    for (const c of moved) c.policy_version = latest.version;
    // retargeted clocks are replanned once their firings are handed over, below
    await this.plans.replan(m, s, moved, now);

    const started: SlaClock[] = [];
    const restarted: SlaClock[] = [];
    const stopIds: string[] = [];
    for (const [caseId, episode] of byCase) {
      const change = this.reconcile(latest, episode, facts.get(caseId));
      if (!change) continue;
      stopIds.push(...change.stop.map((k) => k.id));
      const sibling = episode[0]; // any row of the episode: they share its start, calendar and terms
      const calendar = await this.calendars.get(sibling.calendar_id, m);
      for (const target of change.start) {
        const dropped = episode.find((k) => measuredBy(k.target) === measuredBy(target) && k.stop_reason === REBASED);
        if (dropped) restarted.push(await restartRebasedClock(m, s, this.plans, latest, dropped, episode, now));
        else started.push(await startLateClock(m, s, this.plans, latest, calendar, sibling, episode, target, now));
      }
    }
    await stopClocks(m, s, stopIds, now, REBASED);
    // what the rows fired before their roles changed stays fired under the rows that fire it now
    for (const [caseId, changed] of retargeted) {
      const episode: ClockRow[] = await m.query(`SELECT ${CLOCK_COLUMNS} FROM "${s}".sla_clocks WHERE case_id = $1 AND episode = $2`, [
        caseId,
        changed[0].episode,
      ]);
      const took = new Set(await handOverFirings(m, s, episode));
      const replan = episode.filter((k) => k.state === 'running' && (took.has(k.id) || changed.some((c) => c.id === k.id)));
      await this.plans.replan(m, s, replan, now);
      for (const k of replan) await writePlannedBreach(m, s, this.plans, k, now);
    }
    if (started.length + restarted.length) await this.outbox.append(m, startedEvents([...started, ...restarted]));
    return {
      policyId: latest.id,
      version: latest.version,
      clocks: moved.length,
      started: started.length,
      restarted: restarted.length,
      stopped: stopIds.length,
      retargeted: [...retargeted.values()].flat().length,
    };
  }

  /** The clocks one case's current episode starts and stops under `policy`; none for a legacy or resolved case. */
  private reconcile(
    policy: SlaPolicy,
    episode: Array<ClockRow & { stop_reason: string | null }>,
    facts: CaseFacts | undefined,
  ): { start: string[]; stop: ClockRow[] } | undefined {
    // a legacy main clock measures every target but its own separate ones: left as it is
    if (episode.some((k) => k.target === LEGACY_LADDER)) return undefined;
    // resolved since the cases were listed (the rows are locked now)
    if (episode.some((k) => k.stop_reason !== null && RESOLUTION.has(k.stop_reason))) return undefined;
    const first = episode[0];
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
    // a clock an earlier re-base stopped does not count: its target, wanted again, runs again
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
}
