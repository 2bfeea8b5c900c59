/**
 * A survey period (one region's week) is reviewed and signed off by the engineering manager
 * (seed 000 §4.4: 工程技术部经理 … 审查调查结果), then archived (§4.6: 归档保存). An archived period
 * is immutable: no survey, answer or callback in it changes any more.
 */

export const PERIOD_STATES = ['open', 'reviewed', 'signed-off', 'archived'] as const;
export type PeriodState = (typeof PERIOD_STATES)[number];
export type PeriodStep = 'review' | 'sign-off' | 'archive';

const NEXT: Record<PeriodStep, { from: PeriodState; to: PeriodState }> = {
  review: { from: 'open', to: 'reviewed' },
  'sign-off': { from: 'reviewed', to: 'signed-off' },
  archive: { from: 'signed-off', to: 'archived' },
};

export type StepCheck = { ok: true; to: PeriodState } | { ok: false; reason: string };

/** Is the step allowed from this state? The refusal says what must come first. */
export function checkStep(state: PeriodState, step: PeriodStep): StepCheck {
  const rule = NEXT[step];
  if (state === rule.from) return { ok: true, to: rule.to };
  if (state === 'archived') return { ok: false, reason: 'the period is archived and can no longer change' };
  return { ok: false, reason: `a period is ${rule.from} before it can ${step}; this one is ${state}` };
}

export function isArchived(state: PeriodState | null | undefined): boolean {
  return state === 'archived';
}
