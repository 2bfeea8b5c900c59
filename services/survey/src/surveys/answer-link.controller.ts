import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@aftersales/platform';
import { AnswersService } from './answers.service';
import { answerForm, surveyView } from './survey-view';
import { AnswerDto, AnswerFormView, SurveyView } from './surveys.dto';
import { IdempotentPost, Keyed, KeyedCall } from '../shared/http';

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
  @ApiResponse({ status: 200, type: AnswerFormView })
  @ApiResponse({ status: 404, description: 'no survey has this link' })
  @ApiResponse({ status: 410, description: 'the link expired' })
  async form(@Param('token') token: string) {
    return answerForm(await this.answers.byToken(token));
  }

  @Patch(':token')
  @ApiParam(TOKEN)
  @ApiOperation({ summary: 'Saves a partial answer (what it names; the rest is kept)' })
  @ApiResponse({ status: 200, type: SurveyView })
  @ApiResponse({ status: 400, description: 'a score that is not an integer 1–5, or an unknown item (named in `errors`)' })
  @ApiResponse({ status: 404, description: 'no survey has this link' })
  @ApiResponse({ status: 409, description: 'already answered, or its period is archived' })
  @ApiResponse({ status: 410, description: 'the link expired' })
  async partial(@Param('token') token: string, @Body() dto: AnswerDto) {
    return surveyView((await this.answers.answerByToken(token, dto, false)).body, false);
  }

  @IdempotentPost(':token', 200)
  @ApiParam(TOKEN)
  @ApiOperation({ summary: 'The final answer (with what was saved before, all four items scored); once only' })
  @ApiResponse({ status: 200, type: SurveyView })
  @ApiResponse({ status: 400, description: 'a score that is not an integer 1–5, or an unknown item (named in `errors`)' })
  @ApiResponse({ status: 404, description: 'no survey has this link' })
  @ApiResponse({ status: 409, description: 'already answered, or its period is archived' })
  @ApiResponse({ status: 410, description: 'the link expired' })
  @ApiResponse({ status: 422, description: 'items still unscored (named in `errors`)' })
  async final(@Param('token') token: string, @Body() dto: AnswerDto, @KeyedCall() call: Keyed) {
    return surveyView(call.answer(await this.answers.answerByToken(token, dto, true, call.key)), false);
  }
}
