import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Envelope, Outbox, OutboxEvent } from '@aftersales/messaging';
import { Clock, Principal, SERVICE_CONFIG, SERVICE_SETTINGS, StoredResponse, withIdempotency } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ServiceConfig } from '@aftersales/config';
import { RegionCalendars } from '../calendars/region-calendars';
import { callbackDueAt } from '../domain/region-calendar';
import { Item, ITEM_LABELS } from '../domain/scores';
import { PeriodsRepository } from '../periods/periods.repository';
import { conflict, unprocessable } from '../shared/problems';
import { SurveyMetrics } from '../shared/survey-metrics';
import { Survey, SurveysRepository } from '../surveys/surveys.repository';
import { SurveySettings } from '../survey.config';
import { Callback, CallbacksRepository } from './callbacks.repository';
import { CallbackOutcomeDto } from './callbacks.dto';

/** Who calls back (seed 000 §4.5: 服务交付中心经理); notify resolves the role in the case's region. */
export const CALLBACK_ROLE = 'service-delivery-manager';

/** What both events a callback asks for carry: the callback, its survey and the case it is about. */
const callbackOfCase = (cb: Callback) => ({
  callbackId: cb.id,
  surveyId: cb.surveyId,
  caseId: cb.caseId,
  caseNumber: cb.caseNumber,
  region: cb.region,
  customerId: cb.customerId,
});

/**
 * The closed loop of a low score (domain §8): a callback task for the region's service delivery
 * manager with a deadline escalation holds (`survey.callback.requested.v1` → its deadline;
 * `survey.callback.closed.v1` stops it; `escalation.deadline.overdue.v1` marks it overdue here),
 * the outcome recorded, and from it a complaint case opened in the case service over the bus.
 */
@Injectable()
export class CallbacksService {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly dataSource: DataSource,
    @Inject(SERVICE_SETTINGS) private readonly settings: SurveySettings,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    private readonly callbacks: CallbacksRepository,
    private readonly surveys: SurveysRepository,
    private readonly periods: PeriodsRepository,
    private readonly metrics: SurveyMetrics,
    private readonly calendars: RegionCalendars,
  ) {}

  /** Inside the final answer's transaction: the task and its event. */
  async request(m: EntityManager, survey: Survey, low: Item[], at: Date): Promise<Callback> {
    const cb: Callback = {
      id: randomUUID(),
      surveyId: survey.id,
      caseId: survey.caseId,
      caseNumber: survey.caseNumber,
      region: survey.region,
      week: survey.week,
      customerId: survey.customerId,
      lowItems: low,
      assigneeRole: CALLBACK_ROLE,
      requestedAt: at,
      dueAt: callbackDueAt(at, this.settings.SURVEY_CALLBACK_DEADLINE_HOURS, await this.calendars.of(survey.region, m)),
      status: 'open',
      overdueAt: null,
      outcome: null,
      note: null,
      closedBy: null,
      closedAt: null,
      complaintCaseId: null,
      complaintCaseNumber: null,
    };
    await this.callbacks.insert(m, cb);
    await this.outbox.append(m, [
      {
        type: 'survey.callback.requested.v1',
        aggregateType: 'case',
        aggregateId: cb.caseId,
        data: {
          ...callbackOfCase(cb),
          lowItems: low,
          dueAt: cb.dueAt.toISOString(),
        },
      },
    ]);
    return cb;
  }

  async get(id: string, by: Principal): Promise<Callback> {
    const cb = await this.callbacks.get(id, by);
    if (!cb) throw new NotFoundException(`callback ${id} not found`);
    return cb;
  }

  /** Records the outcome once; a complaint outcome asks the case service for a complaint case. */
  async close(id: string, by: Principal, dto: CallbackOutcomeDto, key?: string): Promise<StoredResponse<Callback>> {
    if (dto.complaint && dto.outcome !== 'complaint-opened') {
      throw unprocessable([{ field: 'complaint', reason: 'only with outcome complaint-opened' }]);
    }
    const result = await this.dataSource.transaction((m) =>
      withIdempotency(m, this.config.database.schema, `callback-outcome:${id}`, key, dto, async () => {
        const cb = await this.callbacks.get(id, by, m, true);
        if (!cb) throw new NotFoundException(`callback ${id} not found`);
        await this.periods.assertWritable(m, cb.region, cb.week);
        if (cb.status === 'closed') throw conflict(`callback ${id} was already closed (${cb.outcome})`, { outcome: cb.outcome });
        const now = this.clock.now();
        await this.callbacks.close(m, id, dto.outcome, dto.note ?? null, by.subject, now);
        await this.outbox.append(m, await this.closingEvents(m, cb, dto, now));
        return { status: 200, body: (await this.callbacks.get(id, by, m))! };
      }),
    );
    if (!result.replayed) this.metrics.callback(result.body.region, dto.outcome);
    return result;
  }

  private async closingEvents(m: EntityManager, cb: Callback, dto: CallbackOutcomeDto, now: Date): Promise<OutboxEvent[]> {
    const events: OutboxEvent[] = [
      {
        type: 'survey.callback.closed.v1',
        aggregateType: 'case',
        aggregateId: cb.caseId,
        data: { callbackId: cb.id, caseId: cb.caseId, region: cb.region, outcome: dto.outcome, closedAt: now.toISOString() },
      },
    ];
    if (dto.outcome !== 'complaint-opened') return events;
    const contact = await this.surveys.contactOf(m, cb.surveyId);
    const lows = cb.lowItems.map((i) => ITEM_LABELS[i as Item]?.en ?? i).join(', ');
    events.push({
      type: 'survey.complaint.requested.v1',
      aggregateType: 'case',
      aggregateId: cb.caseId,
      data: {
        ...callbackOfCase(cb),
        contact,
        severity: dto.complaint?.severity ?? 'P3',
        symptom: dto.complaint?.symptom ?? dto.note ?? `satisfaction callback for ${cb.caseNumber}: low scores for ${lows}`,
        requestedAt: now.toISOString(),
      },
    });
    return events;
  }

  /**
   * Escalation reports the deadline passed: the task is marked overdue (once) unless it was closed
   * meanwhile or its period is archived (an archived week does not change).
   */
  async onOverdue(m: EntityManager, e: Envelope<'escalation.deadline.overdue.v1'>, afterCommit: (fn: () => void) => void): Promise<void> {
    if (e.data.kind !== 'survey-callback') return;
    const cb = await this.callbacks.lockOpen(m, e.data.subjectId);
    if (!cb || cb.overdueAt) return;
    if (await this.periods.isArchived(m, cb.region, cb.week)) return;
    await this.callbacks.markOverdue(m, cb.id, new Date(e.data.firedAt));
    afterCommit(() => this.metrics.callback(cb.region, 'overdue'));
  }
}
