/**
 * Threads a mail onto a case by the case number in its subject: `[NORTH-2026-000123]` or
 * `Case NORTH-2026-000123` (`<REGION>-<YYYY>-<6 digits>`, the region may contain dashes).
 * A bare number elsewhere in the subject is not enough: customers quote serials and order numbers too.
 */
const NUMBER = String.raw`[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z][A-Za-z0-9]*)*-\d{4}-\d{6}`;
const BRACKETED = new RegExp(String.raw`\[\s*(${NUMBER})\s*\]`);
const LABELLED = new RegExp(String.raw`(?:^|[^A-Za-z0-9])case\s*(?:no\.?|number|#)?\s*[:#]?\s*(?<![A-Za-z0-9])(${NUMBER})(?![0-9])`, 'i');

export function caseNumberInSubject(subject: string | undefined | null): string | null {
  if (!subject) return null;
  const m = BRACKETED.exec(subject) ?? LABELLED.exec(subject);
  return m?.[1]?.toUpperCase() ?? null;
}
