/**
 * Which closed cases are not surveyed (domain §8: "not the LSP ones"). Exclusion is data: rules an
 * admin keeps through the API. A rule names one or more criteria, all of which must hold; a case
 * is excluded when any rule of its region (or a rule for every region) matches it.
 */

export const EXCLUSION_CRITERIA = ['caseType', 'customerId', 'productLine', 'serviceMode', 'contractId', 'tag'] as const;
export type ExclusionCriterion = (typeof EXCLUSION_CRITERIA)[number];

export interface ExclusionRule {
  id: string;
  name: string;
  /** null: every region */
  region: string | null;
  criteria: Partial<Record<ExclusionCriterion, string>>;
}

/** What the rules can look at of a closed case. */
export interface ExclusionSubject {
  region: string;
  caseType: string;
  customerId: string;
  productLine: string | null;
  serviceMode: string | null;
  contractId: string | null;
  tags: readonly string[];
}

const norm = (v: string) => v.trim().toLowerCase();

function criterionHolds(c: ExclusionSubject, key: ExclusionCriterion, want: string): boolean {
  if (key === 'tag') return c.tags.some((t) => norm(t) === norm(want));
  const have = c[key];
  // customer ids and contract ids are identifiers; types, modes and product lines are compared loosely
  if (key === 'customerId' || key === 'contractId') return have === want;
  return have !== null && norm(have) === norm(want);
}

export function ruleMatches(rule: ExclusionRule, c: ExclusionSubject): boolean {
  if (rule.region !== null && rule.region !== c.region) return false;
  const entries = Object.entries(rule.criteria).filter((e): e is [ExclusionCriterion, string] => typeof e[1] === 'string');
  // a rule without criteria would exclude everything: never
  return entries.length > 0 && entries.every(([k, v]) => criterionHolds(c, k, v));
}

/** The first rule that excludes the case, or undefined when it is surveyed. */
export function excludedBy(c: ExclusionSubject, rules: readonly ExclusionRule[]): ExclusionRule | undefined {
  return rules.find((r) => ruleMatches(r, c));
}

/** Tags as stored: trimmed, non-empty, de-duplicated (case-insensitively), in the order given. */
export function normaliseTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of tags.map((x) => x.trim())) {
    if (!t || seen.has(norm(t))) continue;
    seen.add(norm(t));
    out.push(t);
  }
  return out;
}
