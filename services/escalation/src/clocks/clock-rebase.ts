import { Injectable } from '@nestjs/common';
import { Outbox } from '@aftersales/messaging';
import { Clock } from '@aftersales/platform';
import { EntityManager } from 'typeorm';
import { ClockRow, measuredBy, REBASED, rebaseChanges, RESOLUTION, SlaPolicy } from '../domain';
import { CalendarStore } from '../policies/calendar-store';
import { ClockPlans } from './clock-plans';
import { startedEvents } from './clock-starter.handler';
import { ClockRepository } from './clock.repository';
import { FiringRepository } from './firing.repository';
import { followLadderTarget, handOverFirings } from './ladder-handover';
import { restartRebasedClock, startLateClock } from './late-clock';

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
    private readonly clocks: ClockRepository,
    private readonly firings: FiringRepository,
    private readonly outbox: Outbox,
    private readonly plans: ClockPlans,
    private readonly calendars: CalendarStore,
    private readonly clock: Clock,
  ) {}

  async rebase(m: EntityManager, latest: SlaPolicy): Promise<RebaseResult> {
    const now = this.clock.now();
    const { rows, byCase, facts } = await this.lockOpenEpisodes(m, latest);
    // the ladder's role first: which row fires the rungs decides what the re-base starts and stops
    const retargeted = new Map<string, ClockRow[]>();
    for (const [caseId, episode] of byCase) {
      const changed = await followLadderTarget(m, this.clocks, latest, episode);
      if (changed.length) retargeted.set(caseId, changed);
    }
    const moved = await this.moveToVersion(m, latest, rows, now);
    const { started, restarted, stopIds } = await this.applyTargets(m, latest, byCase, facts, now);
    await this.clocks.stop(m, stopIds, now, REBASED);
    await this.handOver(m, retargeted, now);
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

  /**
   * Every case under the policy whose current episode is not resolved — one whose clocks all stopped
   * at met targets (ladder B's at the diagnosis) may still need a clock the version adds — with every
   * row of those episodes, the stopped ones too (a met target's clock stays met), locked in the order
   * the case handlers lock them (per case, by target).
   */
  private async lockOpenEpisodes(m: EntityManager, latest: SlaPolicy) {
    const caseIds = await this.clocks.openCasesUnder(m, latest.id, [...RESOLUTION]);
    const rows = await this.clocks.lockCurrentEpisodes(m, caseIds);
    const facts = await this.clocks.caseFactsOf(m, caseIds);
    const byCase = new Map<string, ClockRow[]>();
    for (const r of rows) {
      const list = byCase.get(r.case_id);
      if (list) list.push(r);
      else byCase.set(r.case_id, [r]);
    }
    return { rows, byCase, facts };
  }

  /** Running clocks on an older version of the policy move to the latest and are re-planned under it. */
  private async moveToVersion(m: EntityManager, latest: SlaPolicy, rows: ClockRow[], now: Date): Promise<ClockRow[]> {
    const moved = rows.filter((k) => k.state === 'running' && k.policy_id === latest.id && k.policy_version !== latest.version);
    await this.clocks.setPolicyVersion(
      m,
      moved.map((c) => c.id),
      latest.version,
    );
    for (const c of moved) c.policy_version = latest.version;
    // retargeted clocks are replanned once their firings are handed over (`handOver`)
    await this.plans.replan(m, moved, now);
    return moved;
  }

  /** Per case, the clocks the version's targets call for: started, restarted after an earlier re-base, or to stop. */
  private async applyTargets(
    m: EntityManager,
    latest: SlaPolicy,
    byCase: Map<string, ClockRow[]>,
    facts: Awaited<ReturnType<ClockRepository['caseFactsOf']>>,
    now: Date,
  ) {
    const started: ClockRow[] = [];
    const restarted: ClockRow[] = [];
    const stopIds: string[] = [];
    for (const [caseId, episode] of byCase) {
      const change = rebaseChanges(latest, episode, facts.get(caseId));
      if (!change) continue;
      stopIds.push(...change.stop.map((k) => k.id));
      const sibling = episode[0]!; // any row of the episode (a group has one at least): they share its start, calendar and terms
      const calendar = await this.calendars.get(sibling.calendar_id, m);
      for (const target of change.start) {
        const dropped = episode.find((k) => measuredBy(k.target) === measuredBy(target) && k.stop_reason === REBASED);
        if (dropped) restarted.push(await restartRebasedClock(m, this.clocks, this.plans, latest, dropped, episode, now));
        else started.push(await startLateClock(m, this.clocks, this.plans, latest, calendar, sibling, episode, target, now));
      }
    }
    return { started, restarted, stopIds };
  }

  /** What the rows fired before their roles changed stays fired under the rows that fire it now. */
  private async handOver(m: EntityManager, retargeted: Map<string, ClockRow[]>, now: Date): Promise<void> {
    for (const [caseId, changed] of retargeted) {
      const episode = await this.clocks.episode(m, caseId, changed[0]!.episode); // a group has one row at least
      const took = new Set(await handOverFirings(m, this.firings, episode));
      const replan = episode.filter((k) => k.state === 'running' && (took.has(k.id) || changed.some((c) => c.id === k.id)));
      await this.plans.replan(m, replan, now);
      for (const k of replan) await this.plans.writePlannedBreach(m, k, now);
    }
  }
}
