import { BusinessCalendar } from '@aftersales/calendar';
import { EntityManager } from 'typeorm';
import { ClockRow, SlaPolicy } from '../domain';
import { ClockPlans } from './clock-plans';
import { startClock } from './clock-starter.handler';
import { ClockRepository } from './clock.repository';

/**
 * Starts a clock for `target` in an episode already under way — the on-site clock at a dispatch
 * after the report, a target a re-based policy adds. Counted from the episode's start like every
 * target, so it may already be in breach, and it takes the episode's waits so far (`case_waits`; an
 * open one too, so a start during a wait on the customer starts it paused) whether or not another
 * clock ran through them. `sibling` is any clock row of the episode; `episode` all of them.
 */
export async function startLateClock(
  m: EntityManager,
  clocks: ClockRepository,
  plans: ClockPlans,
  policy: SlaPolicy,
  calendar: BusinessCalendar,
  sibling: ClockRow,
  episode: readonly ClockRow[],
  target: string,
  now: Date,
): Promise<ClockRow> {
  const row = await clocks.get(m, sibling.id);
  const clock = await startClock(m, clocks, policy, calendar, { ...row, policy_id: policy.id, policy_version: policy.version }, target);
  return takeEpisodeSoFar(m, clocks, plans, policy, clock, sibling, episode, now);
}

/**
 * Runs again a clock a re-base stopped (`rebased`: its version dropped the target) now that a later
 * version has the target again: the same row — one clock per case, target and episode — under
 * `policy`, counted from the episode's start with all of its waits, so the time it stood stopped
 * counts like any other; what it fired before stays fired, what fell due meanwhile fires now.
 */
export async function restartRebasedClock(
  m: EntityManager,
  clocks: ClockRepository,
  plans: ClockPlans,
  policy: SlaPolicy,
  stopped: ClockRow,
  episode: readonly ClockRow[],
  now: Date,
): Promise<ClockRow> {
  await clocks.restart(m, stopped.id, policy);
  const clock = await clocks.get(m, stopped.id);
  return takeEpisodeSoFar(m, clocks, plans, policy, clock, stopped, episode, now);
}

/** Gives a clock started late (or again) the episode's waits, its next due time and its breach as planned. */
async function takeEpisodeSoFar(
  m: EntityManager,
  clocks: ClockRepository,
  plans: ClockPlans,
  policy: SlaPolicy,
  clock: ClockRow,
  sibling: ClockRow,
  episode: readonly ClockRow[],
  now: Date,
): Promise<ClockRow> {
  await clocks.takeEpisodeWaits(
    m,
    clock.id,
    sibling,
    episode.map((k) => k.id),
  );
  const late: ClockRow = {
    ...sibling,
    id: clock.id,
    target: clock.target,
    state: 'running',
    due_at: clock.due_at,
    next_due_at: clock.next_due_at,
    policy_id: policy.id,
    policy_version: policy.version,
    paused_since: null,
    stopped_at: null,
    stop_reason: null,
  };
  // next_due_at and paused_since as the inherited waits make them
  await plans.replan(m, [late], now);
  const breachAt = await plans.writePlannedBreach(m, late, now);
  if (breachAt) clock.due_at = breachAt;
  return clock;
}
