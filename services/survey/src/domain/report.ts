import { Item, ITEMS, lowItems, Scores } from './scores';

/**
 * Report arithmetic (seed 000 §4.4–4.6): response rate, average and distribution per item, trend
 * from week to week. Only final answers count in averages; a partial answer counts as not answered.
 */

export interface ReportRow {
  week: string;
  region: string;
  ownerId: string | null;
  ownerName: string | null;
  status: 'sent' | 'partial' | 'answered';
  scores: Scores;
  smooth: boolean | null;
}

export interface ItemSummary {
  answered: number;
  average: number | null;
  /** how many answers gave each score */
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
}

export interface Summary {
  sent: number;
  answered: number;
  partial: number;
  /** answered / sent, 0 when nothing was sent */
  responseRate: number;
  /** mean of every item score of the answered surveys */
  average: number | null;
  items: Record<Item, ItemSummary>;
  smooth: { yes: number; no: number; unanswered: number };
  /** answered surveys with an item below 3 */
  lowScore: number;
}

const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

function itemSummary(scores: number[]): ItemSummary {
  const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  for (const s of scores) distribution[String(s) as keyof typeof distribution]++;
  const total = scores.reduce((a, b) => a + b, 0);
  return { answered: scores.length, average: scores.length ? round(total / scores.length) : null, distribution };
}

export function summarize(rows: readonly ReportRow[]): Summary {
  const answered = rows.filter((r) => r.status === 'answered');
  const items = Object.fromEntries(
    ITEMS.map((i) => [i, itemSummary(answered.map((r) => r.scores[i]).filter((s): s is number => typeof s === 'number'))]),
  ) as Record<Item, ItemSummary>;
  const all = answered.flatMap((r) => ITEMS.map((i) => r.scores[i]).filter((s): s is number => typeof s === 'number'));
  return {
    sent: rows.length,
    answered: answered.length,
    partial: rows.filter((r) => r.status === 'partial').length,
    responseRate: rows.length ? round(answered.length / rows.length, 4) : 0,
    average: all.length ? round(all.reduce((a, b) => a + b, 0) / all.length) : null,
    items,
    smooth: {
      yes: answered.filter((r) => r.smooth === true).length,
      no: answered.filter((r) => r.smooth === false).length,
      unanswered: answered.filter((r) => r.smooth === null).length,
    },
    lowScore: answered.filter((r) => lowItems(r.scores).length > 0).length,
  };
}

/** Rows grouped by a key, each group summarized, groups in key order. */
export function summarizeBy<K extends string>(
  rows: readonly ReportRow[],
  key: (r: ReportRow) => K,
): Array<{ key: K; rows: ReportRow[]; summary: Summary }> {
  const groups = new Map<K, ReportRow[]>();
  for (const r of rows) {
    const k = key(r);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, rs]) => ({ key: k, rows: rs, summary: summarize(rs) }));
}

export interface WeekTrend {
  week: string;
  summary: Summary;
  /** change of the overall average against the week before (null when either has none) */
  averageChange: number | null;
  responseRateChange: number | null;
  /** per item: change of the average against the week before */
  itemChange: Record<Item, number | null>;
}

/** Week summaries in order, each compared with the one before; weeks without surveys show zeros. */
export function weekTrend(weeks: readonly string[], rows: readonly ReportRow[]): WeekTrend[] {
  const out: WeekTrend[] = [];
  let prev: Summary | undefined;
  for (const week of weeks) {
    const summary = summarize(rows.filter((r) => r.week === week));
    const diff = (a: number | null | undefined, b: number | null | undefined) =>
      a === null || a === undefined || b === null || b === undefined ? null : round(a - b, 4);
    out.push({
      week,
      summary,
      averageChange: diff(summary.average, prev?.average),
      responseRateChange: prev && prev.sent && summary.sent ? diff(summary.responseRate, prev.responseRate) : null,
      itemChange: Object.fromEntries(ITEMS.map((i) => [i, diff(summary.items[i].average, prev?.items[i].average)])) as Record<
        Item,
        number | null
      >,
    });
    prev = summary;
  }
  return out;
}

/**
 * RFC 4180 CSV (CRLF, quoted where needed). A cell starting with = + - @ is prefixed with an
 * apostrophe so that a spreadsheet does not run a customer's comment as a formula.
 */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null | undefined>>): string {
  const cell = (v: string | number | boolean | null | undefined) => {
    if (v === null || v === undefined) return '';
    let s = String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
