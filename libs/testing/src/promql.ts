import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './processes';

/** A vector selector of a PromQL expression: metric (or recording rule) name and its matchers as written. */
export interface Selector {
  name: string;
  /** the text between the braces, '' when there are none */
  matchers: string;
}

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'inf',
  'nan',
]);
// aggregations may put `by (…)` between their name and their parenthesis
const AGGREGATIONS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
]);
const LABEL_LISTS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

/**
 * The vector selectors of a PromQL expression, found by a small scanner (strings, label lists,
 * matchers and ranges skipped): enough for the shipped rules and dashboards, where every selector
 * starts with a name.
 */
export function selectorsOf(expr: string): Selector[] {
  const out: Selector[] = [];
  let i = 0;
  let lastWord = '';
  const skipTo = (close: string) => {
    while (i < expr.length && expr[i] !== close) i += expr[i] === '"' ? stringEnd(expr, i) - i : 1;
    i++;
  };
  while (i < expr.length) {
    const c = expr.charAt(i);
    if (c === '"' || c === "'" || c === '`') {
      i = stringEnd(expr, i);
      continue;
    }
    if (c === '[') {
      skipTo(']');
      continue;
    }
    if (c === '(' && LABEL_LISTS.has(lastWord)) {
      skipTo(')');
      lastWord = '';
      continue;
    }
    const word = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(expr.slice(i))?.[0];
    if (!word || /[0-9.]/.test(expr[i - 1] ?? '')) {
      i += word?.length || 1;
      if (!/\s/.test(c)) lastWord = '';
      continue;
    }
    i += word.length;
    const rest = expr.slice(i);
    const next = /^\s*(\S)/.exec(rest)?.[1];
    if (KEYWORDS.has(word.toLowerCase()) || AGGREGATIONS.has(word) || next === '(') {
      lastWord = word.toLowerCase();
      continue;
    }
    lastWord = '';
    if (next === '{') {
      const open = i + rest.indexOf('{');
      i = open + 1;
      skipTo('}');
      out.push({ name: word, matchers: expr.slice(open + 1, i - 1).trim() });
    } else {
      out.push({ name: word, matchers: '' });
    }
  }
  return out;
}

function stringEnd(s: string, start: number): number {
  const q = s[start];
  let i = start + 1;
  while (i < s.length && s[i] !== q) i += s[i] === '\\' ? 2 : 1;
  return i + 1;
}

export interface ShippedExpression {
  /** where it comes from: `rules.yml record <name>`, `sla-overview.json "<panel>"` */
  source: string;
  kind: 'record' | 'alert' | 'panel' | 'variable';
  expr: string;
  /** recording rules: the series it writes */
  record?: string;
}

/** Every PromQL expression of deploy/prometheus/rules.yml (parsed by the caller's YAML reader) and deploy/grafana/dashboards. */
export function shippedExpressions(parseYaml: (text: string) => unknown): ShippedExpression[] {
  const out: ShippedExpression[] = [];
  const rules = parseYaml(readFileSync(join(REPO_ROOT, 'deploy/prometheus/rules.yml'), 'utf8')) as {
    groups: Array<{ rules: Array<{ record?: string; alert?: string; expr: string }> }>;
  };
  for (const g of rules.groups) {
    for (const r of g.rules) {
      if (r.record) out.push({ source: `rules.yml record ${r.record}`, kind: 'record', expr: r.expr, record: r.record });
      else out.push({ source: `rules.yml alert ${r.alert}`, kind: 'alert', expr: r.expr });
    }
  }
  const dir = join(REPO_ROOT, 'deploy/grafana/dashboards');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const walk = (node: unknown, title: string): void => {
      if (Array.isArray(node)) return node.forEach((n) => walk(n, title));
      if (!node || typeof node !== 'object') return;
      const o = node as Record<string, unknown>;
      const here = typeof o.title === 'string' && Array.isArray(o.targets) ? o.title : title;
      if (typeof o.expr === 'string') out.push({ source: `${f} "${here}"`, kind: 'panel', expr: o.expr });
      if (o.type === 'query' && o.query && typeof o.query === 'object' && typeof (o.query as { query?: unknown }).query === 'string') {
        out.push({ source: `${f} variable ${String(o.name)}`, kind: 'variable', expr: (o.query as { query: string }).query });
      }
      for (const v of Object.values(o)) walk(v, here);
    };
    walk(JSON.parse(readFileSync(join(dir, f), 'utf8')), '');
  }
  return out;
}

/**
 * A dashboard expression as Grafana sends it: `$region`/`$service` as "All" (`.+`),
 * `$__rate_interval` and `$__range` as the given windows; `label_values(sel, label)` variables
 * as the equivalent query.
 */
export function asGrafanaSends(expr: string, o: { rateInterval: string; range: string }): string {
  const labelValues = /^label_values\((.*),\s*([a-zA-Z_]+)\)$/s.exec(expr.trim());
  const query = labelValues ? `count by (${labelValues[2]}) (${labelValues[1]})` : expr;
  return query
    .replace(/\$__rate_interval/g, o.rateInterval)
    .replace(/\$__range/g, o.range)
    .replace(/=~"\$[a-z_]+"/g, '=~".+"');
}
