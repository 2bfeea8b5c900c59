import { Inject, Injectable } from '@nestjs/common';
import { Severity, SurveyItem } from '@aftersales/contracts';
import { Clock, Principal, problemException, SERVICE_SETTINGS } from '@aftersales/platform';
import { DataSource } from 'typeorm';
import {
  AGE_BUCKETS,
  ageBucket,
  firstCallResolved,
  measuredTarget,
  minutesBetween,
  percentile,
  periodOf,
  rate,
  zonedMidnight,
} from '../domain/reports';
import { ReportQuery } from './reports.dto';
import { CaseRow, ReportsRepository, Window } from './reports.repository';
import { ReportsSettings } from './reports.config';

export type Table = { columns: string[]; rows: Array<Record<string, unknown>> };

const SEVERITIES = Severity.options;
const ITEMS = SurveyItem.options;
const DAY = 86_400_000;

/** Groups rows by key, in first-seen order. */
function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of xs) out.set(key(x), [...(out.get(key(x)) ?? []), x]);
  return out;
}

const avg = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100 : null);

/**
 * Management read models (domain §10), per region and per week or month: case times and
 * first-call resolution, SLA attainment and breaches per target, escalations per rung, backlog by
 * age, spare deliveries and stock-outs, satisfaction per engineer, region and item, callbacks and
 * complaints. Each answer is a table (JSON or CSV).
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: ReportsRepository,
    private readonly clock: Clock,
    @Inject(SERVICE_SETTINGS) private readonly settings: ReportsSettings,
  ) {}

  private get zone(): string {
    return this.settings.CASE_REPORT_TIME_ZONE;
  }

  window(q: ReportQuery, by: Principal): Window {
    const now = this.clock.now();
    const from = q.from ? zonedMidnight(q.from, this.zone) : new Date(now.getTime() - 30 * DAY);
    const to = q.to ? zonedMidnight(q.to, this.zone) : new Date(now.getTime() + DAY);
    if (to <= from) throw problemException(400, [{ field: 'to', reason: 'to must be after from' }]);
    if (to.getTime() - from.getTime() > 400 * DAY)
      throw problemException(400, [{ field: 'to', reason: 'a report covers at most 400 days' }]);
    const admin = by.roles.includes('admin');
    if (q.region && !admin && q.region !== by.region)
      throw problemException(403, [{ field: 'region', reason: 'only an admin sees another region' }]);
    return { region: admin ? (q.region ?? null) : by.region, from, to };
  }

  async cases(q: ReportQuery, by: Principal): Promise<Table> {
    const rows = await this.repo.cases(this.ds.manager, this.window(q, by));
    const per = groupBy(rows, (c) => periodOf(c.openedAt, q.groupBy ?? 'month', this.zone));
    const out: Array<Record<string, unknown>> = [];
    for (const [period, cs] of per) {
      for (const severity of [...SEVERITIES, 'all'] as const) {
        const these = severity === 'all' ? cs : cs.filter((c) => c.severity === severity);
        if (these.length) out.push({ period, severity, ...caseFigures(these) });
      }
    }
    return { columns: CASE_COLUMNS, rows: out };
  }

  async sla(q: ReportQuery, by: Principal): Promise<Table> {
    const clocks = (await this.repo.clocks(this.ds.manager, this.window(q, by)))
      .map((k) => ({ ...k, target: measuredTarget(k.target) }))
      .filter((k): k is typeof k & { target: string } => k.target !== null);
    const out: Array<{ period: string; severity: string; target: string } & Record<string, unknown>> = [];
    for (const [key, ks] of groupBy(clocks, (k) => `${periodOf(k.startedAt, q.groupBy ?? 'month', this.zone)}|${k.severity}|${k.target}`)) {
      const [period, severity, target] = key.split('|') as [string, string, string]; // the key joins these three
      const breached = ks.filter((k) => k.breached).length;
      out.push({
        period,
        severity,
        target,
        clocks: ks.length,
        met: ks.length - breached,
        breached,
        attainment: rate(ks.length - breached, ks.length),
      });
    }
    out.sort((a, b) => `${a.period}${a.severity}${a.target}`.localeCompare(`${b.period}${b.severity}${b.target}`));
    return { columns: ['period', 'severity', 'target', 'clocks', 'met', 'breached', 'attainment'], rows: out };
  }

  async escalations(q: ReportQuery, by: Principal): Promise<Table> {
    const rungs = await this.repo.rungs(this.ds.manager, this.window(q, by));
    const out = [
      ...groupBy(rungs, (r) => `${periodOf(r.firedAt, q.groupBy ?? 'month', this.zone)}|${r.severity}|${r.rungIndex}|${r.label}`),
    ].map(([key, rs]) => {
      const [period, severity, rung, label] = key.split('|');
      return { period, severity, rung: Number(rung), label, fired: rs.length };
    });
    return { columns: ['period', 'severity', 'rung', 'label', 'fired'], rows: out };
  }

  async backlog(q: ReportQuery, by: Principal): Promise<Table> {
    const w = this.window(q, by);
    const now = this.clock.now();
    const open = await this.repo.backlog(this.ds.manager, w.region);
    const rows = SEVERITIES.map((severity) => {
      const mine = open.filter((c) => c.severity === severity);
      return {
        severity,
        open: mine.length,
        ...Object.fromEntries(AGE_BUCKETS.map((b) => [b, mine.filter((c) => ageBucket(c.openedAt, now) === b).length])),
      };
    });
    return { columns: ['severity', 'open', ...AGE_BUCKETS], rows };
  }

  async spares(q: ReportQuery, by: Principal): Promise<Table> {
    const w = this.window(q, by);
    const [deliveries, stock] = await Promise.all([this.repo.deliveries(this.ds.manager, w), this.repo.stockEvents(this.ds.manager, w)]);
    const period = (t: Date) => periodOf(t, q.groupBy ?? 'month', this.zone);
    const keys = new Set([
      ...deliveries.map((d) => `${period(d.deliveredAt)}|${d.partClass}`),
      ...stock.map((s) => `${period(s.at)}|${s.partClass}`),
    ]);
    const rows = [...keys].sort().map((key) => {
      const [p, partClass] = key.split('|');
      const ds = deliveries.filter((d) => period(d.deliveredAt) === p && d.partClass === partClass);
      const hours = ds
        .map((d) => minutesBetween(d.reservedAt, d.deliveredAt))
        .filter((x): x is number => x !== null)
        .map((x) => Math.round((x / 60) * 100) / 100);
      const st = stock.filter((s) => period(s.at) === p && s.partClass === partClass);
      return {
        period: p,
        partClass,
        delivered: ds.length,
        deliveryHoursP50: percentile(hours, 50),
        deliveryHoursP90: percentile(hours, 90),
        late: ds.filter((d) => d.late).length,
        belowMinimum: st.filter((s) => s.kind === 'below-minimum').length,
        stockOuts: st.filter((s) => s.kind === 'stock-out').length,
        transfers: st.filter((s) => s.kind === 'transfer').length,
      };
    });
    return {
      columns: [
        'period',
        'partClass',
        'delivered',
        'deliveryHoursP50',
        'deliveryHoursP90',
        'late',
        'belowMinimum',
        'stockOuts',
        'transfers',
      ],
      rows,
    };
  }

  async satisfaction(q: ReportQuery & { by?: 'engineer' | 'region' | 'item' }, by: Principal): Promise<Table> {
    const w = this.window(q, by);
    const [answers, callbacks, cases] = await Promise.all([
      this.repo.surveys(this.ds.manager, w),
      this.repo.callbacks(this.ds.manager, w),
      this.repo.cases(this.ds.manager, w),
    ]);
    const extra = {
      callbacksRequested: callbacks.filter((c) => c.requestedAt).length,
      callbacksDone: callbacks.filter((c) => c.closedAt && c.outcome !== 'unreachable').length,
      complaints: cases.filter((c) => c.caseType === 'complaint').length,
    };
    if (q.by === 'item') {
      const rows = ITEMS.map((item) => {
        const scores = answers.map((a) => a.scores[item]).filter((x): x is number => typeof x === 'number');
        return { item, answers: scores.length, average: avg(scores), below3: scores.filter((x) => x < 3).length, ...extra };
      });
      return { columns: ['item', 'answers', 'average', 'below3', ...Object.keys(extra)], rows };
    }
    const col = q.by === 'region' ? 'region' : 'engineer';
    const keyOf = (a: (typeof answers)[number]) => (q.by === 'region' ? a.region : (a.engineerId ?? '(no owner)'));
    const figures = (as: typeof answers) => ({
      answers: as.length,
      ...Object.fromEntries(ITEMS.map((i) => [i, avg(as.map((a) => a.scores[i]).filter((x): x is number => typeof x === 'number'))])),
      lowAnswers: as.filter((a) => Object.values(a.scores).some((x) => x < 3)).length,
    });
    const rows: Array<Record<string, unknown>> = [...groupBy(answers, keyOf)].map(([key, as]) => ({ [col]: key, ...figures(as) }));
    // the last row: everyone, with the callbacks and complaints of the window
    rows.push({ [col]: '(all)', ...figures(answers), ...extra });
    return { columns: [col, 'answers', ...ITEMS, 'lowAnswers', ...Object.keys(extra)], rows };
  }
}

const CASE_COLUMNS = [
  'period',
  'severity',
  'opened',
  'complaints',
  'resolved',
  'firstCallResolved',
  'firstCallRate',
  'responseP50',
  'responseP90',
  'diagnosisP50',
  'diagnosisP90',
  'resolutionP50',
  'resolutionP90',
];

/** Figures of a cohort of cases (times in minutes from opening). */
function caseFigures(cs: CaseRow[]) {
  const incidents = cs.filter((c) => c.caseType === 'incident');
  const resolved = incidents.filter((c) => c.resolvedAt);
  const fcr = resolved.filter((c) => firstCallResolved(c)).length;
  const times = (pick: (c: CaseRow) => Date | null) =>
    incidents.map((c) => minutesBetween(c.openedAt, pick(c))).filter((x): x is number => x !== null);
  const [response, diagnosis, resolution] = [times((c) => c.respondedAt), times((c) => c.diagnosedAt), times((c) => c.resolvedAt)];
  return {
    opened: incidents.length,
    complaints: cs.length - incidents.length,
    resolved: resolved.length,
    firstCallResolved: fcr,
    firstCallRate: rate(fcr, resolved.length),
    responseP50: percentile(response, 50),
    responseP90: percentile(response, 90),
    diagnosisP50: percentile(diagnosis, 50),
    diagnosisP90: percentile(diagnosis, 90),
    resolutionP50: percentile(resolution, 50),
    resolutionP90: percentile(resolution, 90),
  };
}
