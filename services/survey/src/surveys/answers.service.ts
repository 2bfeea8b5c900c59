import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Outbox } from '@aftersales/messaging';
import { Clock, Principal, SERVICE_CONFIG, StoredResponse, withIdempotency } from '@aftersales/platform';
import { DataSource, EntityManager } from 'typeorm';
import { ServiceConfig } from '@aftersales/config';
import { Answer, ITEMS, lowItems, mergeAnswers, missingItems, Scores } from '../domain/scores';
import { CallbacksService } from '../callbacks/callbacks.service';
import { PeriodsRepository } from '../periods/periods.repository';
import { conflict, gone, unprocessable } from '../shared/problems';
import { isCustomer } from '../shared/scope';
import { SurveyMetrics } from '../shared/survey-metrics';
import { AnswerDto } from './surveys.dto';
import { Survey, SurveysRepository, Via } from './surveys.repository';
import { hashToken, TOKEN_PATTERN } from './tokens';

interface Who {
  via: Via;
  by: string;
  /** a link or a customer's portal stops at the expiry; an agent on the phone does not */
  honoursExpiry: boolean;
}

/**
 * Answers: saved partially as often as wanted, finished once (a second final answer is 409),
 * refused after the link expired (410) and in an archived period (409). A final answer with an
 * item below 3 opens a callback in the same transaction.
 */
@Injectable()
export class AnswersService {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    private readonly surveys: SurveysRepository,
    private readonly periods: PeriodsRepository,
    private readonly callbacks: CallbacksService,
    private readonly metrics: SurveyMetrics,
  ) {}

  /** The survey of a link: unknown → 404; expired and not answered → 410. */
  async byToken(token: string): Promise<Survey> {
    const survey = TOKEN_PATTERN.test(token) ? await this.surveys.byToken(hashToken(token)) : undefined;
    if (!survey) throw new NotFoundException('no survey has this link');
    if (survey.status !== 'answered' && this.expired(survey)) throw gone(`the link expired at ${survey.expiresAt.toISOString()}`);
    return survey;
  }

  async answerByToken(token: string, dto: AnswerDto, final: boolean, key?: string): Promise<StoredResponse<Survey>> {
    if (!TOKEN_PATTERN.test(token)) throw new NotFoundException('no survey has this link');
    return this.answer(key, dto, final, async (m) => {
      const survey = await this.surveys.lockByToken(m, hashToken(token));
      if (!survey) throw new NotFoundException('no survey has this link');
      return { survey, who: { via: 'link', by: 'link', honoursExpiry: true } };
    });
  }

  /** A customer in the portal (its own surveys only) or staff recording a phone call. */
  async answerById(id: string, by: Principal, dto: AnswerDto, final: boolean, key?: string): Promise<StoredResponse<Survey>> {
    const customer = isCustomer(by);
    return this.answer(key, dto, final, async (m) => {
      const survey = await this.surveys.get(id, by, m, true);
      if (!survey) throw new NotFoundException(`survey ${id} not found`);
      return { survey, who: { via: customer ? 'portal' : 'phone', by: by.subject, honoursExpiry: customer } };
    });
  }

  private async answer(
    key: string | undefined,
    dto: AnswerDto,
    final: boolean,
    find: (m: EntityManager) => Promise<{ survey: Survey; who: Who }>,
  ): Promise<StoredResponse<Survey>> {
    const update = toAnswer(dto);
    if (!final && Object.values(update.scores).length === 0 && update.smooth === undefined && update.comment === undefined) {
      throw unprocessable([{ field: '(body)', reason: 'name at least one of scores, smooth, comment' }]);
    }
    let done: { survey: Survey; via: Via; callback: boolean } | undefined;
    const result = await this.dataSource.transaction(async (m) => {
      const { survey, who } = await find(m);
      return withIdempotency(m, this.config.database.schema, `answer:${survey.id}:${final ? 'final' : 'partial'}`, key, dto, async () => {
        const saved = await this.save(m, survey, who, update, final);
        if (final) done = { survey: saved, via: who.via, callback: lowItems(saved.scores).length > 0 };
        return { status: 200, body: saved };
      });
    });
    if (done && !result.replayed) {
      this.metrics.surveyAnswered(done.survey.region, done.via, done.survey.scores);
      if (done.callback) this.metrics.callback(done.survey.region, 'requested');
    }
    return result;
  }

  private async save(m: EntityManager, survey: Survey, who: Who, update: Answer, final: boolean): Promise<Survey> {
    if (survey.status === 'answered') throw conflict(`survey ${survey.id} was already answered`, { answeredAt: survey.answeredAt });
    await this.periods.assertWritable(m, survey.region, survey.week);
    if (who.honoursExpiry && this.expired(survey)) throw gone(`the link expired at ${survey.expiresAt.toISOString()}`);
    const merged = mergeAnswers({ scores: survey.scores, smooth: survey.smooth, comment: survey.comment }, update);
    const now = this.clock.now();
    if (!final) {
      await this.surveys.saveAnswer(m, survey.id, merged, 'partial', now);
      return { ...survey, scores: merged.scores, smooth: merged.smooth ?? null, comment: merged.comment ?? null, status: 'partial' };
    }
    const missing = missingItems(merged);
    if (missing.length)
      throw unprocessable(missing.map((i) => ({ field: `scores.${i}`, reason: 'required in a final answer: an integer from 1 to 5' })));
    await this.surveys.saveAnswer(m, survey.id, merged, 'answered', now, { via: who.via, by: who.by });
    await this.outbox.append(m, [
      {
        type: 'survey.answered.v1',
        aggregateType: 'case',
        aggregateId: survey.caseId,
        data: {
          surveyId: survey.id,
          caseId: survey.caseId,
          region: survey.region,
          scores: merged.scores,
          smooth: merged.smooth ?? undefined,
          answeredAt: now.toISOString(),
          via: who.via,
        },
      },
    ]);
    const low = lowItems(merged.scores);
    if (low.length) await this.callbacks.request(m, survey, low, now);
    return {
      ...survey,
      scores: merged.scores,
      smooth: merged.smooth ?? null,
      comment: merged.comment ?? null,
      status: 'answered',
      via: who.via,
      answeredBy: who.by,
      answeredAt: now,
    };
  }

  private expired(s: Survey): boolean {
    return s.expiresAt.getTime() <= this.clock.now().getTime();
  }
}

function toAnswer(dto: AnswerDto): Answer {
  const scores: Scores = {};
  for (const i of ITEMS) if (dto.scores?.[i] !== undefined) scores[i] = dto.scores[i];
  return { scores, smooth: dto.smooth, comment: dto.comment };
}
