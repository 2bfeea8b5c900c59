import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Public } from '@aftersales/platform';
import { AnswersService } from './answers.service';
import { answerForm, surveyView } from './survey-view';
import { AnswerDto, AnswerFormView, SurveyView } from './surveys.dto';
import { ANSWERED, Answers, BAD_SCORE, IdempotentPost, Keyed, KeyedCall, UNSCORED } from '../shared/http';

const NO_SURVEY = 'no survey has this link';
const EXPIRED = 'the link expired';
const TOKEN = { name: 'token', description: 'the one-time token of the invitation link (the only key: no login)' };

/**
 * The one-time answer form behind the invitation link. No bearer token: the unguessable token in
 * the path is the only key, and it opens exactly one survey.
 */
@ApiTags('answer form (public)')
@Public()
@Controller('answer')
export class AnswerLinkController {
  constructor(private readonly answers: AnswersService) {}

  @Get(':token')
  @ApiParam(TOKEN)
  @ApiOperation({ summary: 'The form: items, their meanings (zh-CN, en) and what was saved so far' })
  @Answers(AnswerFormView, { 404: NO_SURVEY, 410: EXPIRED })
  async form(@Param('token') token: string) {
    return answerForm(await this.answers.byToken(token));
  }

  @Patch(':token')
  @ApiParam(TOKEN)
  @ApiOperation({ summary: 'Saves a partial answer (what it names; the rest is kept)' })
  @Answers(SurveyView, { 400: BAD_SCORE, 404: NO_SURVEY, 409: ANSWERED, 410: EXPIRED })
  async partial(@Param('token') token: string, @Body() dto: AnswerDto) {
    return surveyView((await this.answers.answerByToken(token, dto, false)).body, false);
  }

  @IdempotentPost(':token', 200)
  @ApiParam(TOKEN)
  @ApiOperation({ summary: 'The final answer (with what was saved before, all four items scored); once only' })
  @Answers(SurveyView, { 400: BAD_SCORE, 404: NO_SURVEY, 409: ANSWERED, 410: EXPIRED, 422: UNSCORED })
  async final(@Param('token') token: string, @Body() dto: AnswerDto, @KeyedCall() call: Keyed) {
    return surveyView(call.answer(await this.answers.answerByToken(token, dto, true, call.key)), false);
  }
}
