import { Body, Controller, Get, NotFoundException, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, PageOf, Principal, Roles } from '@aftersales/platform';
import { isCustomer } from '../shared/scope';
import { AnswersService } from './answers.service';
import { surveyView } from './survey-view';
import { AnswerDto, SurveyListQuery, SurveyView } from './surveys.dto';
import { SurveysRepository } from './surveys.repository';
import { ANSWERED, Answers, BAD_SCORE, IdempotentPost, Keyed, KeyedCall, UNSCORED } from '../shared/http';

const NOT_THEIRS = 'unknown, or not the caller’s';

/**
 * Surveys of the caller's region (staff) or customer (customer tokens; another customer's survey
 * is 404). Staff record answers given on the phone; a customer may answer its own in the portal.
 */
@ApiTags('surveys')
@ApiBearerAuth()
@Controller('surveys')
export class SurveysController {
  constructor(
    private readonly surveys: SurveysRepository,
    private readonly answers: AnswersService,
  ) {}

  @Get()
  @Roles('agent', 'manager', 'admin', 'customer')
  @ApiResponse({ status: 200, description: 'a page of surveys (`items`, `total`, `limit`, `offset`)', type: PageOf(SurveyView) })
  async list(@Query() q: SurveyListQuery, @CurrentPrincipal() by: Principal) {
    const page = await this.surveys.list(by, q, q.limit, q.offset);
    return { items: page.items.map((s) => surveyView(s, !isCustomer(by))), total: page.total, limit: q.limit, offset: q.offset };
  }

  @Get(':id')
  @Roles('agent', 'manager', 'admin', 'customer')
  @ApiResponse({ status: 200, type: SurveyView })
  @ApiResponse({ status: 404, description: NOT_THEIRS })
  async get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by: Principal) {
    const s = await this.surveys.get(id, by);
    if (!s) throw new NotFoundException(`survey ${id} not found`);
    return surveyView(s, !isCustomer(by));
  }

  @Patch(':id/answer')
  @Roles('agent', 'manager', 'admin', 'customer')
  @ApiOperation({ summary: 'Saves a partial answer (phone call in progress, or the customer in the portal)' })
  @Answers(SurveyView, { 400: BAD_SCORE, 404: NOT_THEIRS, 409: ANSWERED, 410: 'a customer answering after the link expired' })
  async partial(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: AnswerDto, @CurrentPrincipal() by: Principal) {
    return surveyView((await this.answers.answerById(id, by, dto, false)).body, !isCustomer(by));
  }

  @IdempotentPost(':id/answer', 200)
  @Roles('agent', 'manager', 'admin', 'customer')
  @ApiOperation({ summary: 'The final answer: by staff from a phone call (`via: phone`), or the customer in the portal' })
  @Answers(SurveyView, { 400: BAD_SCORE, 404: NOT_THEIRS, 409: ANSWERED, 422: UNSCORED })
  async final(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: AnswerDto,
    @CurrentPrincipal() by: Principal,
    @KeyedCall() call: Keyed,
  ) {
    return surveyView(call.answer(await this.answers.answerById(id, by, dto, true, call.key)), !isCustomer(by));
  }
}
