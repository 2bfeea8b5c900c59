import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Outbox, OutboxEvent } from '@aftersales/messaging';
import { Clock, PeriodicTask, SERVICE_SETTINGS } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { excludedBy } from '../domain/exclusion';
import { regionBatchDueAt } from '../domain/region-calendar';
import { BatchSchedule, shiftWeek, weekBounds, weekOf, weeksBetween } from '../domain/week';
import { RegionCalendars } from '../calendars/region-calendars';
import { SurveyCase, SurveyCasesRepository } from '../cases/survey-cases.repository';
import { ExclusionRulesRepository } from '../exclusions/exclusion-rules.repository';
import { PeriodsRepository } from '../periods/periods.repository';
import { SurveyMetrics } from '../shared/survey-metrics';
import { SurveySettings } from '../survey.config';
import { BatchesRepository, Exclusion } from './batches.repository';
import { NewSurvey, SurveysRepository } from './surveys.repository';
import { answerLink, newToken } from './tokens';

/** Weeks a replica catches up on after being down (older weeks' cases stay unsurveyed). */
const CATCH_UP_WEEKS = 4;

export interface BatchRun {
  batchId: string;
  region: string;
  week: string;
  surveys: number;
  excluded: Exclusion[];
}

/**
 * The weekly batch (domain §8): once a week's batch falls due, every region with cases closed that
 * week gets one batch — one survey per closed case no exclusion rule matches, each announced with
 * `survey.invitation.requested.v1` (notify sends the one-time link). The batch row (unique per
 * region and week) is inserted in the same transaction as the surveys, so with any number of
 * replicas a week runs once. A case closed in the week before whose close arrived after that
 * week's batch is picked up by the next one.
 */
@Injectable()
export class SurveyBatch implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('SurveyBatch');
  private readonly task: PeriodicTask;
  readonly schedule: BatchSchedule;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_SETTINGS) private readonly settings: SurveySettings,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    private readonly cases: SurveyCasesRepository,
    private readonly surveys: SurveysRepository,
    private readonly batches: BatchesRepository,
    private readonly periods: PeriodsRepository,
    private readonly rules: ExclusionRulesRepository,
    private readonly metrics: SurveyMetrics,
    private readonly calendars: RegionCalendars,
  ) {
    this.schedule = { timeZone: settings.SURVEY_TIME_ZONE, day: settings.SURVEY_WEEKLY_DAY, time: settings.SURVEY_WEEKLY_TIME };
    this.task = new PeriodicTask('weekly survey batch', settings.SURVEY_BATCH_CHECK_MS, () => this.runDue(), this.log);
  }

  onModuleInit(): void {
    this.task.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  /**
   * Runs every batch due at the clock's now that no replica ran yet; returns what this call ran.
   * Each region counts its weeks and batch day in its own calendar's zone, and a batch day that is
   * a holiday there moves to its next business day.
   */
  async runDue(): Promise<BatchRun[]> {
    const now = this.clock.now();
    const runs: BatchRun[] = [];
    // regions with unsurveyed closes in the span the catch-up looks at (a day's slack for any zone)
    const span = new Date(now.getTime() - (CATCH_UP_WEEKS + 2) * 7 * 86_400_000);
    for (const region of await this.cases.regionsToSurvey(span, now)) {
      const calendar = await this.calendars.of(region);
      const schedule = { ...this.schedule, timeZone: calendar?.timeZone ?? this.schedule.timeZone };
      const current = weekOf(now, schedule.timeZone);
      for (const week of weeksBetween(shiftWeek(current, -CATCH_UP_WEEKS - 1), shiftWeek(current, -1))) {
        const dueAt = regionBatchDueAt(week, schedule, calendar);
        if (dueAt.getTime() > now.getTime()) continue;
        const from = weekBounds(shiftWeek(week, -1), schedule.timeZone).start;
        const to = weekBounds(week, schedule.timeZone).end;
        if (!(await this.cases.regionsToSurvey(from, to)).includes(region)) continue; // nothing closed that week
        const run = await this.runWeek(region, week, from, to, now, dueAt);
        if (run) runs.push(run);
      }
    }
    return runs;
  }

  private async runWeek(region: string, week: string, from: Date, to: Date, now: Date, dueAt: Date): Promise<BatchRun | undefined> {
    const run = await this.dataSource.transaction(async (m) => {
      const batchId = randomUUID();
      if (!(await this.batches.claim(m, { id: batchId, region, week, dueAt, ranAt: now }))) return undefined;
      await this.periods.ensure(m, region, week);
      const rules = await this.rules.forRegion(region, m);
      const excluded: Exclusion[] = [];
      const chosen: SurveyCase[] = [];
      for (const c of await this.cases.closedUnsurveyed(m, region, from, to)) {
        const rule = excludedBy(c, rules);
        if (rule)
          excluded.push({ caseId: c.caseId, caseNumber: c.caseNumber, caseClosedAt: c.closedAt!, ruleId: rule.id, ruleName: rule.name });
        else chosen.push(c);
      }
      await this.send(m, batchId, week, chosen, now);
      await this.batches.finish(m, batchId, chosen.length, excluded);
      return { batchId, region, week, surveys: chosen.length, excluded };
    });
    if (run) {
      this.metrics.surveysSent(region, run.surveys);
      this.log.log(`survey batch ${week} of ${region}: ${run.surveys} surveys, ${run.excluded.length} excluded`);
    }
    return run;
  }

  private async send(m: EntityManager, batchId: string, week: string, chosen: SurveyCase[], now: Date): Promise<void> {
    const expiresAt = new Date(now.getTime() + this.settings.SURVEY_LINK_TTL_HOURS * 3_600_000);
    const rows: NewSurvey[] = [];
    const events: OutboxEvent<'survey.invitation.requested.v1'>[] = [];
    for (const c of chosen) {
      const token = newToken();
      const survey: NewSurvey = {
        id: randomUUID(),
        batchId,
        caseId: c.caseId,
        caseClosedAt: c.closedAt!,
        caseNumber: c.caseNumber,
        region: c.region,
        week,
        customerId: c.customerId,
        contact: c.contact,
        ownerId: c.ownerId,
        ownerName: c.ownerName,
        escalationOwnerId: c.escalationOwnerId,
        escalationOwnerName: c.escalationOwnerName,
        tokenHash: token.hash,
        sentAt: now,
        expiresAt,
      };
      rows.push(survey);
      events.push({
        type: 'survey.invitation.requested.v1',
        aggregateType: 'case',
        aggregateId: c.caseId,
        data: {
          surveyId: survey.id,
          caseId: c.caseId,
          caseNumber: c.caseNumber,
          region: c.region,
          customerId: c.customerId,
          contact: c.contact,
          language: this.settings.SURVEY_LANGUAGE,
          link: answerLink(this.settings.SURVEY_LINK_BASE_URL, token.value),
          expiresAt: expiresAt.toISOString(),
        },
      });
    }
    await this.surveys.insert(m, rows, now);
    await this.outbox.append(m, events);
  }
}
