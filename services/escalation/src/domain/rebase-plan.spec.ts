import { CaseFacts, ClockRow } from './clock-row';
import { rebaseChanges, REBASED } from './rebase-plan';
import { LADDER_B, SlaPolicy } from './sla-policy';
import { downtimeClockOf, downtimeOf } from './warranty-extension';
import { pauseReasonOf } from './clock-targets';

const H = 3_600_000;
const START = new Date('2026-03-02T08:00:00Z');
const row = (target: string, over: Partial<ClockRow> = {}): ClockRow => ({
  id: `id-${target}`,
  case_id: 'c1',
  region: 'north',
  severity: 'P2',
  target,
  episode: 1,
  state: 'running',
  started_at: START,
  due_at: null,
  next_due_at: null,
  policy_id: 'p',
  policy_version: 1,
  calendar_id: null,
  contract_id: null,
  coverage: null,
  paused_since: null,
  stopped_at: null,
  stop_reason: null,
  ...over,
});
const facts = (over: Partial<CaseFacts> = {}): CaseFacts => ({ channel: 'phone', serviceMode: 'remote', milestones: new Map(), ...over });
/** ladder B with a resolution target for P2, and no on-site one */
const withResolution: SlaPolicy = structuredClone(LADDER_B);
withResolution.severities.P2.targets = { diagnosis: 60, resolution: 240 };

describe('rebaseChanges: the clocks a re-base starts and stops', () => {
  it('starts a clock for a target the version adds and stops one it drops', () => {
    const episode = [row('ladder:diagnosis'), row('onsite')];
    expect(rebaseChanges(withResolution, episode, facts({ serviceMode: 'on-site' }))).toEqual({
      start: ['resolution'],
      stop: [episode[1]],
    });
  });

  it('starts none for a target met in the episode, and leaves a resolved or legacy case alone', () => {
    const met = facts({ milestones: new Map([['diagnosed', new Set([1])]]) });
    const noResolution: SlaPolicy = structuredClone(withResolution);
    delete noResolution.severities.P2.targets.resolution;
    noResolution.severities.P2.targets.diagnosis = 60;
    expect(rebaseChanges(noResolution, [row('resolution')], met)?.start ?? []).not.toContain('diagnosis');
    expect(
      rebaseChanges(withResolution, [row('ladder:diagnosis', { state: 'stopped', stop_reason: 'resolved' })], facts()),
    ).toBeUndefined();
    expect(rebaseChanges(withResolution, [row('ladder')], facts())).toBeUndefined();
  });

  it('runs again a target an earlier re-base stopped', () => {
    const episode = [row('ladder:diagnosis'), row('resolution', { state: 'stopped', stop_reason: REBASED })];
    expect(rebaseChanges(withResolution, episode, facts())).toEqual({ start: ['resolution'], stop: [] });
  });
});

describe('waits and downtime', () => {
  it('maps the waiting statuses to pause reasons', () => {
    expect([pauseReasonOf('waiting-customer'), pauseReasonOf('waiting-parts'), pauseReasonOf('in-progress')]).toEqual([
      'customer',
      'parts',
      undefined,
    ]);
  });

  it('measures the warranty on the downtime clock (or a legacy P1 main clock) of a case under a contract', () => {
    const downtime = row('downtime', { contract_id: 'K' });
    expect(downtimeClockOf([row('ladder:diagnosis', { contract_id: 'K' }), downtime])).toBe(downtime);
    expect(downtimeClockOf([row('ladder', { severity: 'P1', contract_id: 'K' })])?.target).toBe('ladder');
    expect(downtimeClockOf([row('downtime')])).toBeUndefined();
  });

  it('counts downtime without the waits on the customer, in started 24-hour days', () => {
    const waits = [
      { from: new Date(START.getTime() + H), to: new Date(START.getTime() + 5 * H), reason: 'customer' },
      { from: new Date(START.getTime() + 6 * H), to: new Date(START.getTime() + 7 * H), reason: 'parts' },
    ];
    expect(downtimeOf(START, new Date(START.getTime() + 26 * H), waits)).toEqual({ ms: 22 * H, minutes: 22 * 60, warrantyDays: 1 });
  });
});
