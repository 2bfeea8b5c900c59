import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@aftersales/testing';

/** A metric name as PromQL writes it: not part of a recording rule's name (those hold colons). */
const METRIC = /(?<![:\w])aftersales_[a-z0-9_]+(?![:\w])/g;

/**
 * Every `aftersales_*` series the shipped Prometheus rules and Grafana dashboards query, with the
 * file that asks for it. Recording rules' own names (`level:metric:operation`) are not metrics.
 */
export function metricsOpsQuery(): Map<string, string> {
  const wanted = new Map<string, string>();
  const add = (text: string, file: string) => {
    for (const name of text.match(METRIC) ?? []) if (!wanted.has(name)) wanted.set(name, file);
  };
  const rules = 'deploy/prometheus/rules.yml';
  for (const line of readFileSync(join(REPO_ROOT, rules), 'utf8').split('\n')) if (!/^\s*(#|- record:)/.test(line)) add(line, rules);
  const dir = 'deploy/grafana/dashboards';
  for (const f of readdirSync(join(REPO_ROOT, dir)).filter((n) => n.endsWith('.json'))) {
    const exprs: string[] = [];
    JSON.stringify(JSON.parse(readFileSync(join(REPO_ROOT, dir, f), 'utf8')), (k, v: unknown) => {
      if (k === 'expr' && typeof v === 'string') exprs.push(v);
      return v;
    });
    for (const e of exprs) add(e, `${dir}/${f}`);
  }
  return wanted;
}

/** The Prometheus exposition of each service: series names (histograms with their _bucket/_sum/_count) and sample sums per name. */
export async function scrape(urls: string[]): Promise<{ names: Set<string>; total: (name: string) => number }> {
  const names = new Set<string>();
  const sums = new Map<string, number>();
  for (const url of urls) {
    const text = await (await fetch(`${url}/metrics`)).text();
    for (const line of text.split('\n')) {
      const type = /^# TYPE (\S+) (\S+)/.exec(line);
      if (type) {
        const [, name = '', kind] = type;
        names.add(name);
        if (kind === 'histogram' || kind === 'summary') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
        continue;
      }
      const sample = /^([a-z_:][a-z0-9_:]*)(?:\{[^}]*\})? (\S+)/i.exec(line);
      if (sample?.[1]) sums.set(sample[1], (sums.get(sample[1]) ?? 0) + Number(sample[2]));
    }
  }
  return { names, total: (name) => sums.get(name) ?? 0 };
}
