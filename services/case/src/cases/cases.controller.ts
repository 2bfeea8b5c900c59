import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, PageOf, PageQuery, Principal, Roles, sendStored } from '@aftersales/platform';
import { AssignmentDto } from '../engineers/engineers.dto';
import { CaseDiagnosis } from './case-diagnosis.service';
import { AllowedTransitionsView, CaseListQuery, DiagnosisDto, TransitionDto, WorkLogDto } from './cases.dto';
import { CasesService } from './cases.service';
import { CasePageView, CaseView, DiagnosisView, HistoryView, WorkLogEntryView } from '../api/responses';

/** Cases, their lifecycle, owner and work log. A customer sees its own cases only; anything else is 404. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly diagnosis: CaseDiagnosis,
  ) {}

  @Get('by-number/:caseNumber')
  @ApiOkResponse({ type: CaseView })
  byNumber(@Param('caseNumber') caseNumber: string, @CurrentPrincipal() by: Principal) {
    return this.cases.getByNumber(caseNumber, by);
  }

  @Get(':id')
  @ApiOkResponse({ type: CaseView })
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by: Principal) {
    return this.cases.get(id, by);
  }

  @Get()
  @ApiOkResponse({ type: CasePageView })
  list(@Query() q: CaseListQuery, @CurrentPrincipal() by: Principal) {
    return this.cases.list(by, q, q.limit, q.offset);
  }

  /** What the caller's role may do with the case now: the case view's transition buttons. */
  @Get(':id/transitions')
  @ApiOkResponse({ type: AllowedTransitionsView })
  allowedTransitions(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by: Principal) {
    return this.cases.allowedTransitions(id, by);
  }

  /** Moves the case along its lifecycle; an illegal move is 409 with the statuses allowed instead. */
  @Post(':id/transitions')
  @HttpCode(200)
  @ApiOkResponse({ type: CaseView, description: 'the case after the move' })
  @ApiResponse({ status: 403, description: 'the caller’s role may not make this move (e.g. a customer confirms or reopens only)' })
  @ApiResponse({ status: 409, description: 'an illegal move: the statuses allowed from here are in `allowed`' })
  transition(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: TransitionDto, @CurrentPrincipal() by: Principal) {
    return this.cases.transition(id, by, dto.to, dto.reason);
  }

  @Get(':id/history')
  @ApiOkResponse({ type: HistoryView })
  history(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by: Principal) {
    return this.cases.history(id, by);
  }

  @Post(':id/assignment')
  @HttpCode(200)
  @ApiOkResponse({ type: CaseView, description: 'the case with its new owner' })
  @Roles('agent', 'manager', 'admin')
  assign(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: AssignmentDto, @CurrentPrincipal() by: Principal) {
    return this.cases.assign(id, by, dto);
  }

  @Post(':id/worklog')
  @HttpCode(201)
  @ApiCreatedResponse({ type: WorkLogEntryView })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async addWorkLog(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: WorkLogDto,
    @CurrentPrincipal() by: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return sendStored(res, await this.cases.addWorkLog(id, by, dto, key));
  }

  /** Staff record the diagnosis; the episode's first one is the milestone (`case.diagnosed.v1`), later ones are logged only. */
  @Post(':id/diagnosis')
  @HttpCode(201)
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOperation({ summary: 'Record the diagnosis (确诊): a public work-log entry; the first of the episode stops the diagnosis clocks' })
  @ApiCreatedResponse({
    type: DiagnosisView,
    description: 'recorded; `first` says whether it was the episode’s first diagnosis (announced)',
  })
  @ApiResponse({ status: 403, description: 'staff only' })
  @ApiResponse({ status: 409, description: 'the case is resolved, confirmed or closed' })
  diagnose(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: DiagnosisDto, @CurrentPrincipal() by: Principal) {
    return this.diagnosis.diagnose(id, by, dto);
  }

  @Get(':id/worklog')
  @ApiOkResponse({ type: PageOf(WorkLogEntryView), description: 'customers see public entries only' })
  workLog(@Param('id', new ParseUUIDPipe()) id: string, @Query() q: PageQuery, @CurrentPrincipal() by: Principal) {
    return this.cases.listWorkLog(id, by, q.limit, q.offset);
  }
}
