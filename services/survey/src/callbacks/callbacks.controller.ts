import { Body, Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Page, PageOf, Principal, Roles } from '@aftersales/platform';
import { CallbackListQuery, CallbackOutcomeDto, CallbackView } from './callbacks.dto';
import { Callback, CallbacksRepository } from './callbacks.repository';
import { CallbacksService } from './callbacks.service';
import { Answers, IdempotentPost, Keyed, KeyedCall } from '../shared/http';

/** Callback tasks of low scores, for the region's service delivery manager (staff of the region only). */
@ApiTags('callbacks')
@ApiBearerAuth()
@Controller('callbacks')
export class CallbacksController {
  constructor(
    private readonly callbacks: CallbacksService,
    private readonly repo: CallbacksRepository,
  ) {}

  @Get()
  @Roles('agent', 'manager', 'admin')
  @ApiOperation({ summary: 'Callback tasks of the caller’s region, earliest deadline first' })
  @ApiResponse({ status: 200, description: 'a page of callbacks (`items`, `total`, `limit`, `offset`)', type: PageOf(CallbackView) })
  async list(@Query() q: CallbackListQuery, @CurrentPrincipal() by: Principal): Promise<Page<Callback>> {
    return { ...(await this.repo.list(by, q, q.limit, q.offset)), limit: q.limit, offset: q.offset };
  }

  @Get(':id')
  @Roles('agent', 'manager', 'admin')
  @ApiResponse({ status: 200, type: CallbackView })
  @ApiResponse({ status: 404, description: 'unknown, or of another region' })
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by: Principal): Promise<Callback> {
    return this.callbacks.get(id, by);
  }

  @IdempotentPost(':id/outcome', 200)
  @Roles('agent', 'manager', 'admin')
  @ApiOperation({
    summary:
      'Records how the callback went and closes it (escalation stops its deadline); complaint-opened asks the case service for a complaint case',
  })
  @Answers(CallbackView, {
    400: 'a field is malformed (named in `errors`)',
    404: 'unknown, or of another region',
    409: 'already closed, or its period is archived',
    422: '`complaint` given with another outcome',
  })
  async close(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: CallbackOutcomeDto,
    @CurrentPrincipal() by: Principal,
    @KeyedCall() call: Keyed,
  ): Promise<Callback> {
    return call.answer(await this.callbacks.close(id, by, dto, call.key));
  }
}
