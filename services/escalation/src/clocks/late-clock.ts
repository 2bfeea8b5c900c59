import { BusinessCalendar } from '@aftersales/calendar';
import { EntityManager } from 'typeorm';
import { SlaPolicy } from '../domain';
import { ClockPlans, ClockRow } from './clock-plans';
import { measuredBy } from './clock-targets';
import { startClock } from './clock-starter.handler';
import { SlaClock } from './sla-clock.entity';

/**
 * Starts a clock for `target` in an episode already under way — the on-site clock at a dispatch
 * after the report, a target a re-based policy adds. Counted from the episode's start like every
 * target, so it may already be in breach, and it takes the episode's waits so far (`case_waits`; an
 * open one too, so a start during a wait on the customer starts it paused) whether or not another
 * clock ran through them. `sibling` is any clock row of the episode; `episode` all of them.
 */
export async function startLateClock(
  m: EntityManager,
  s: string,
  plans: ClockPlans,
  policy: SlaPolicy,
  calendar: BusinessCalendar,
  sibling: ClockRow,
  episode: readonly ClockRow[],
  target: string,
  now: Date,
): Promise<SlaClock> {
  const row = await m.findOneByOrFail(SlaClock, { id: sibling.id });
  const clock = await startClock(m, policy, calendar, { ...row, policyId: policy.id, policyVersion: policy.version }, target);
  return takeEpisodeSoFar(m, s, plans, policy, clock, sibling, episode, now);
}

/**
 * Runs again a clock a re-base stopped (`rebased`: its version dropped the target) now that a later
 * version has the target again: the same row — one clock per case, target and episode — under
 * `policy`, counted from the episode's start with all of its waits, so the time it stood stopped
 * counts like any other; what it fired before stays fired, what fell due meanwhile fires now.
 */
export async function restartRebasedClock(
  m: EntityManager,
  s: string,
  plans: ClockPlans,
  policy: SlaPolicy,
  stopped: ClockRow,
  episode: readonly ClockRow[],
  now: Date,
): Promise<SlaClock> {
  await m.query(
    `UPDATE "${s}".sla_clocks SET state = 'running', stopped_at = NULL, stop_reason = NULL, policy_id = $2, policy_version = $3
      WHERE id = $1`,
    [stopped.id, policy.id, policy.version],
  );
  const clock = await m.findOneByOrFail(SlaClock, { id: stopped.id });
  return takeEpisodeSoFar(m, s, plans, policy, clock, stopped, episode, now);
}

/** Gives a clock started late (or again) the episode's waits, its next due time and its breach as planned. */
async function takeEpisodeSoFar(
  m: EntityManager,
  s: string,
  plans: ClockPlans,
  policy: SlaPolicy,
  clock: SlaClock,
  sibling: ClockRow,
  episode: readonly ClockRow[],
  now: Date,
): Promise<SlaClock> {
  // the case's own record of its waits, and what its clocks had of them before case_waits existed
  // (1700000000004); a wait the clock has already (a restart) takes the episode's end of it
  await m.query(
    `INSERT INTO "${s}".clock_pauses (clock_id, from_at, to_at, reason)
     SELECT DISTINCT ON (from_at) $1::uuid, from_at, to_at, reason FROM (
       SELECT from_at, to_at, reason FROM "${s}".case_waits WHERE case_id = $2 AND episode = $3
       UNION ALL
       SELECT from_at, to_at, reason FROM "${s}".clock_pauses WHERE clock_id = ANY($4::uuid[])
     ) w ORDER BY from_at, to_at DESC NULLS FIRST
     ON CONFLICT (clock_id, from_at) DO UPDATE SET to_at = EXCLUDED.to_at, reason = EXCLUDED.reason`,
    [clock.id, sibling.case_id, sibling.episode, episode.map((k) => k.id)],
  );
  const late: ClockRow = {
    ...sibling,
    id: clock.id,
    target: clock.target,
    state: 'running',
    policy_id: policy.id,
    policy_version: policy.version,
    paused_since: null,
    stopped_at: null,
  };
  // next_due_at and paused_since as the inherited waits make them
  await plans.replan(m, s, [late], now);
  const breachAt = await writePlannedBreach(m, s, plans, late, now);
  if (breachAt) clock.dueAt = breachAt;
  return clock;
}

/**
 * Sets a running clock's `due_at` to the breach of the target it measures as planned now, past the
 * waits known (an open one as if it ended now) — for a clock that took waits or a target it did not
 * start with. Returns the breach time, if the version has one for the target.
 */
export async function writePlannedBreach(
  m: EntityManager,
  s: string,
  plans: ClockPlans,
  clock: ClockRow,
  now: Date,
): Promise<Date | undefined> {
  const kind = measuredBy(clock.target);
  const pauses = (await plans.pausesOf(m, s, [clock.id])).get(clock.id) ?? [];
  const closed = pauses.map((p) => ({ ...p, to: p.to ?? new Date(Math.max(now.getTime(), p.from.getTime())) }));
  const breachAt = (await plans.plan(m, clock, closed, now)).targets.find((t) => t.kind === kind)?.breachAt ?? undefined;
  if (breachAt) await m.query(`UPDATE "${s}".sla_clocks SET due_at = $2 WHERE id = $1`, [clock.id, breachAt]);
  return breachAt;
}
