/**
 * The satisfaction form (seed 000 §4.2–4.5, 客户满意度调查表): four items scored 1–5, whether the
 * case process went smoothly, and a free comment. Any item below 3 calls for a callback by the
 * region's service delivery manager.
 */

export const ITEMS = ['responseTime', 'technicalSkill', 'attitude', 'outcome'] as const;
export type Item = (typeof ITEMS)[number];
export type Scores = Partial<Record<Item, number>>;

export const ITEM_LABELS: Record<Item, { 'zh-CN': string; en: string }> = {
  responseTime: { 'zh-CN': '反应时间', en: 'Response time' },
  technicalSkill: { 'zh-CN': '工程师技术水平', en: "Engineer's technical skill" },
  attitude: { 'zh-CN': '工程师服务态度', en: "Engineer's attitude" },
  outcome: { 'zh-CN': '对问题的处理结果', en: 'Outcome of the problem' },
};

export const SMOOTH_LABEL = { 'zh-CN': 'Case 处理流程是否通畅', en: 'Did the case process go smoothly?' };

/** 5 很满意 … 1 很不满意 (seed 000 §4.3). */
export const SCALE: Record<1 | 2 | 3 | 4 | 5, { 'zh-CN': string; en: string }> = {
  5: { 'zh-CN': '很满意', en: 'very satisfied' },
  4: { 'zh-CN': '满意', en: 'satisfied' },
  3: { 'zh-CN': '一般', en: 'neutral' },
  2: { 'zh-CN': '不满意', en: 'dissatisfied' },
  1: { 'zh-CN': '很不满意', en: 'very dissatisfied' },
};

/** A score below this calls for a callback (§4.5: "分值低于3分的 … 进行回访"). */
export const CALLBACK_BELOW = 3;

export function isScore(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 5;
}

export interface Answer {
  scores: Scores;
  smooth?: boolean | null;
  comment?: string | null;
}

/** A later partial answer overrides what it names and keeps the rest. */
export function mergeAnswers(saved: Answer, update: Answer): Answer {
  const scores: Scores = { ...saved.scores };
  for (const item of ITEMS) if (update.scores[item] !== undefined) scores[item] = update.scores[item];
  return {
    scores,
    smooth: update.smooth !== undefined ? update.smooth : saved.smooth,
    comment: update.comment !== undefined ? update.comment : saved.comment,
  };
}

/** Items a final answer still lacks (all four must be scored; smooth and comment are optional). */
export function missingItems(a: Answer): Item[] {
  return ITEMS.filter((i) => !isScore(a.scores[i]));
}

/** The items scored below 3, in form order. */
export function lowItems(scores: Scores): Item[] {
  return ITEMS.filter((i) => {
    const s = scores[i];
    return isScore(s) && s < CALLBACK_BELOW;
  });
}
