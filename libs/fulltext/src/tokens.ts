/**
 * Text preparation for PostgreSQL full-text search over Chinese (zh-CN) and English without extensions
 * (no zhparser, no pg_trgm: embedded PostgreSQL guarantees neither).
 *
 * The approach: JavaScript turns text into a space-separated token string that PostgreSQL's default
 * parser takes apart exactly at the spaces, and the database indexes it with the built-in 'english'
 * configuration:
 * - Latin (and Greek, Cyrillic) words are lowercased; 'english' stems them ("crashes" → "crash").
 * - CJK runs have no spaces between words, so each run becomes its overlapping character bigrams
 *   ("阵列离线" → 阵列 列离 离线); a one-character run stays a single character. A query's bigrams are
 *   then found inside any document containing the phrase, whatever the word boundaries.
 * - Error codes and model numbers (anything with a digit: E42, 0x8007000E, RAID-5, ORA-00600) are kept
 *   whole, lowercased and with their separators removed (raid5, ora00600): the parser would otherwise
 *   split "RAID-5" into "raid" and "-5". Their letter parts are also indexed as words ("raid").
 * Queries go through the same steps, so both sides agree; see `toTsQuery`. Full-width forms (Ｅ４２，)
 * are folded by NFKC first.
 */

/** The PostgreSQL text search configuration both documents and queries use. */
export const TEXT_SEARCH_CONFIG = 'english';

const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}';
const ALNUM = '\\p{Script=Latin}\\p{Script=Greek}\\p{Script=Cyrillic}\\p{Nd}\\p{M}';
// a CJK run, or an alphanumeric chunk whose parts may be joined by - _ . / : (codes like ORA-00600, 0x8007000E)
const CHUNK = new RegExp(`([${CJK}]+)|([${ALNUM}]+(?:[-_./:][${ALNUM}]+)*)`, 'gu');
const SEPARATORS = /[-_./:]/;
const DIGIT = /\p{Nd}/u;
const LETTERS_ONLY = new RegExp(`^[\\p{Script=Latin}\\p{Script=Greek}\\p{Script=Cyrillic}\\p{M}]+$`, 'u');

interface Piece {
  kind: 'word' | 'code' | 'cjk';
  text: string;
  /** for codes: the letter-only parts ("raid" of "raid-5") */
  parts?: string[];
}

function pieces(text: string): Piece[] {
  const out: Piece[] = [];
  for (const m of text.normalize('NFKC').toLowerCase().matchAll(CHUNK)) {
    const [, cjk, word = ''] = m; // CHUNK matches one of its two groups
    if (cjk) {
      out.push({ kind: 'cjk', text: cjk });
    } else if (DIGIT.test(word)) {
      const parts = word.split(SEPARATORS);
      out.push({ kind: 'code', text: parts.join(''), parts: parts.filter((p) => p.length > 1 && LETTERS_ONLY.test(p)) });
    } else {
      for (const w of word.split(SEPARATORS)) out.push({ kind: 'word', text: w });
    }
  }
  return out;
}

/** "阵列离线" → ["阵列", "列离", "离线"]; a single character stays itself. */
export function cjkBigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length < 2) return chars;
  return chars.slice(1).map((c, i) => chars[i] + c);
}

/** The key an error code is compared by: case, width and separators do not matter ("RAID-5" = "raid5"). */
export function errorCodeKey(code: string): string {
  return pieces(code)
    .map((p) => p.text)
    .join('');
}

/** The error codes / model numbers mentioned in a free text, as `errorCodeKey`s ("报错 E42" → ["e42"]). */
export function codeKeysIn(text: string | null | undefined): string[] {
  if (!text) return [];
  return [
    ...new Set(
      pieces(text)
        .filter((p) => p.kind === 'code' && /\p{L}/u.test(p.text))
        .map((p) => p.text),
    ),
  ];
}

/** The index tokens of a text, in order (duplicates kept: they count toward rank). */
export function documentTokens(text: string | null | undefined): string[] {
  if (!text) return [];
  return pieces(text).flatMap((p) => {
    if (p.kind === 'cjk') return cjkBigrams(p.text);
    if (p.kind === 'code') return [p.text, ...(p.parts ?? [])];
    return [p.text];
  });
}

/** The token string to store and feed to `to_tsvector('english', …)`. */
export function toSearchDocument(...texts: Array<string | null | undefined>): string {
  return texts.flatMap((t) => documentTokens(t)).join(' ');
}

/**
 * One `to_tsquery` operand per query term: words, whole codes, CJK bigrams; a one-character CJK run
 * becomes a prefix match so that "阵" still finds "阵列". Terms contain only letters and digits, so
 * quoting them is safe.
 */
export function queryTerms(text: string | null | undefined): string[] {
  if (!text) return [];
  const terms = pieces(text).flatMap((p) => {
    if (p.kind === 'cjk') return [...p.text].length === 1 ? [`'${p.text}':*`] : cjkBigrams(p.text).map((b) => `'${b}'`);
    return [`'${p.text}'`];
  });
  return [...new Set(terms)];
}

/**
 * The `to_tsquery('english', …)` source for a text: 'all' ANDs every term (a search box: the phrase
 * must be there), 'any' ORs them (suggestions: rank by how much matches). Empty when the text has
 * no searchable term: callers must not send an empty query to PostgreSQL.
 */
export function toTsQuery(text: string | null | undefined, mode: 'all' | 'any' = 'all'): string {
  return queryTerms(text).join(mode === 'all' ? ' & ' : ' | ');
}

/** Whether a text contains CJK characters: the article language when none is given. */
export function looksChinese(text: string): boolean {
  return new RegExp(`[${CJK}]`, 'u').test(text);
}
