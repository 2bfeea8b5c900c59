import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Clock, Principal, SERVICE_SETTINGS, visibleTo } from '@aftersales/platform';
import { ReportRow, summarize, summarizeBy, toCsv, weekTrend } from '../domain/report';
import { ITEMS } from '../domain/scores';
import { BatchSchedule, compareWeeks, latestDueWeek, parseWeek, shiftWeek, weeksBetween } from '../domain/week';
import { Callback, CallbacksRepository } from '../callbacks/callbacks.repository';
import { PeriodsRepository } from '../periods/periods.repository';
import { unprocessable } from '../shared/problems';
import { regionOf } from '../shared/scope';
import { Survey, SurveysRepository } from '../surveys/surveys.repository';
import { SurveySettings } from '../survey.config';

const MAX_WEEKS = 104;

const toRow = (s: Survey): ReportRow => ({
  week: s.week,
  region: s.region,
  ownerId: s.ownerId,
  ownerName: s.ownerName,
  status: s.status,
  scores: s.scores,
  smooth: s.smooth,
});

function callbackSummary(cbs: Callback[]) {
  return {
    requested: cbs.length,
    open: cbs.filter((c) => c.status === 'open').length,
    overdue: cbs.filter((c) => c.overdueAt !== null).length,
    openOverdue: cbs.filter((c) => c.status === 'open' && c.overdueAt !== null).length,
    reached: cbs.filter((c) => c.outcome === 'reached').length,
    unreachable: cbs.filter((c) => c.outcome === 'unreachable').length,
    complaintOpened: cbs.filter((c) => c.outcome === 'complaint-opened').length,
  };
}

/**
 * The satisfaction reports (seed 000 "客户满意度报告"): per case of a week, the week's summary,
 * per week with trend, per engineer (case owner) and per region. Read from the surveys as sent —
 * the names were copied then — so an archived week reads the same forever.
 */
@Injectable()
export class ReportsService {
  private readonly schedule: BatchSchedule;

  constructor(
    @Inject(SERVICE_SETTINGS) settings: SurveySettings,
    private readonly clock: Clock,
    private readonly surveys: SurveysRepository,
    private readonly callbacks: CallbacksRepository,
    private readonly periods: PeriodsRepository,
  ) {
    this.schedule = { timeZone: settings.SURVEY_TIME_ZONE, day: settings.SURVEY_WEEKLY_DAY, time: settings.SURVEY_WEEKLY_TIME };
  }

  private week(week: string): string {
    if (!parseWeek(week)) throw new NotFoundException(`no survey week ${week} (weeks look like 2026-W49)`);
    return week;
  }

  private range(from?: string, to?: string): string[] {
    const last = to ?? latestDueWeek(this.clock.now(), this.schedule);
    const first = from ?? shiftWeek(last, -11);
    const problems = [
      ...(parseWeek(first) ? [] : [{ field: 'from', reason: 'no such ISO week' }]),
      ...(parseWeek(last) ? [] : [{ field: 'to', reason: 'no such ISO week' }]),
    ];
    if (problems.length) throw unprocessable(problems);
    if (compareWeeks(first, last) > 0) throw unprocessable([{ field: 'from', reason: 'must not be after to' }]);
    const weeks = weeksBetween(first, last, MAX_WEEKS + 1);
    if (weeks.length > MAX_WEEKS) throw unprocessable([{ field: 'from', reason: `at most ${MAX_WEEKS} weeks at once` }]);
    return weeks;
  }

  /** Per case: the seed's form, one row per survey, with its callback. */
  async cases(by: Principal, askedRegion: string | undefined, week: string) {
    const region = regionOf(by, askedRegion);
    const surveys = await this.surveys.ofWeeks([region], [this.week(week)]);
    const cbs = new Map((await this.callbacks.ofWeeks([region], [week])).map((c) => [c.surveyId, c]));
    return surveys.map((s) => {
      const cb = cbs.get(s.id);
      return {
        caseNumber: s.caseNumber,
        customerId: s.customerId,
        caseOwner: s.ownerName,
        escalationOwner: s.escalationOwnerName,
        status: s.status,
        ...Object.fromEntries(ITEMS.map((i) => [i, s.scores[i] ?? null])),
        smooth: s.smooth,
        comment: s.comment,
        via: s.via,
        answeredAt: s.answeredAt,
        callback: cb
          ? {
              id: cb.id,
              status: cb.status,
              lowItems: cb.lowItems,
              dueAt: cb.dueAt,
              overdueAt: cb.overdueAt,
              outcome: cb.outcome,
              complaintCaseNumber: cb.complaintCaseNumber,
            }
          : null,
      };
    });
  }

  casesCsv(rows: Awaited<ReturnType<ReportsService['cases']>>): string {
    return toCsv(
      [
        'case number',
        'customer',
        'case owner',
        'escalation owner',
        'status',
        ...ITEMS,
        'smooth',
        'comment',
        'via',
        'callback',
        'callback outcome',
        'callback overdue',
      ],
      rows.map((r) => [
        r.caseNumber,
        r.customerId,
        r.caseOwner,
        r.escalationOwner,
        r.status,
        ...ITEMS.map((i) => (r as unknown as Record<string, number | null>)[i]),
        r.smooth,
        r.comment,
        r.via,
        r.callback?.status ?? null,
        r.callback?.outcome ?? null,
        r.callback ? r.callback.overdueAt !== null : null,
      ]),
    );
  }

  /** One week of a region: summary per item, callbacks, and where the period stands. */
  async weekSummary(by: Principal, askedRegion: string | undefined, week: string) {
    const region = regionOf(by, askedRegion);
    const surveys = await this.surveys.ofWeeks([region], [this.week(week)]);
    const period = await this.periods.get(region, week);
    if (!period) throw new NotFoundException(`no survey period ${week} in ${region}`);
    return {
      region,
      week,
      period: { state: period.state, reviewedBy: period.reviewedBy, signedOffBy: period.signedOffBy, archivedAt: period.archivedAt },
      ...summarize(surveys.map(toRow)),
      callbacks: callbackSummary(await this.callbacks.ofWeeks([region], [week])),
    };
  }

  /** Week by week, each against the one before. */
  async trend(by: Principal, q: { region?: string; from?: string; to?: string }) {
    const region = regionOf(by, q.region);
    const weeks = this.range(q.from, q.to);
    const rows = (await this.surveys.ofWeeks([region], weeks)).map(toRow);
    return { region, from: weeks[0], to: weeks[weeks.length - 1], weeks: weekTrend(weeks, rows) };
  }

  /** Per case owner (the engineer the case's scores are about). */
  async engineers(by: Principal, q: { region?: string; from?: string; to?: string }) {
    const region = regionOf(by, q.region);
    const weeks = this.range(q.from, q.to);
    const rows = (await this.surveys.ofWeeks([region], weeks)).map(toRow);
    const groups = summarizeBy(rows, (r) => r.ownerId ?? '');
    return {
      region,
      from: weeks[0],
      to: weeks[weeks.length - 1],
      engineers: groups.map((g) => ({ engineerId: g.key || null, engineerName: g.rows[0]?.ownerName ?? null, ...g.summary })),
    };
  }

  /** Per region: staff see their own, admins every region. */
  async regions(by: Principal, q: { from?: string; to?: string }) {
    const weeks = this.range(q.from, q.to);
    const own = visibleTo(by).region;
    const rows = (await this.surveys.ofWeeks(own === undefined ? undefined : [own], weeks)).map(toRow);
    return {
      from: weeks[0],
      to: weeks[weeks.length - 1],
      regions: summarizeBy(rows, (r) => r.region).map((g) => ({ region: g.key, ...g.summary })),
    };
  }

  summaryCsv(keyHeader: string[], rows: Array<{ key: Array<string | null>; summary: ReturnType<typeof summarize> }>): string {
    return toCsv(
      [
        ...keyHeader,
        'sent',
        'answered',
        'response rate',
        'average',
        ...ITEMS.flatMap((i) => [`${i} average`, ...[1, 2, 3, 4, 5].map((n) => `${i} ${n}`)]),
        'low score',
      ],
      rows.map(({ key, summary: s }) => [
        ...key,
        s.sent,
        s.answered,
        s.responseRate,
        s.average,
        ...ITEMS.flatMap((i) => [s.items[i].average, ...(['1', '2', '3', '4', '5'] as const).map((n) => s.items[i].distribution[n])]),
        s.lowScore,
      ]),
    );
  }
}
