import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, PageQuery, Principal } from '@aftersales/platform';
import { AssignmentDto } from '../engineers/engineers.dto';
import { CaseListQuery, TransitionDto, WorkLogDto } from './cases.dto';
import { CasesService } from './cases.service';

/** Cases, their lifecycle, owner and work log. A customer sees its own cases only; anything else is 404. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Get('by-number/:caseNumber')
  byNumber(@Param('caseNumber') caseNumber: string, @CurrentPrincipal() by: Principal) {
    return this.cases.getByNumber(caseNumber, by);
  }

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by: Principal) {
    return this.cases.get(id, by);
  }

  @Get()
  list(@Query() q: CaseListQuery, @CurrentPrincipal() by: Principal) {
    return this.cases.list(by, q, q.limit, q.offset);
  }

  /** Moves the case along its lifecycle; an illegal move is 409 with the statuses allowed instead. */
  @Post(':id/transitions')
  @HttpCode(200)
  transition(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: TransitionDto, @CurrentPrincipal() by: Principal) {
    return this.cases.transition(id, by, dto.to, dto.reason);
  }

  @Get(':id/history')
  history(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by: Principal) {
    return this.cases.history(id, by);
  }

  @Post(':id/assignment')
  @HttpCode(200)
  assign(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: AssignmentDto, @CurrentPrincipal() by: Principal) {
    return this.cases.assign(id, by, dto);
  }

  @Post(':id/worklog')
  addWorkLog(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: WorkLogDto, @CurrentPrincipal() by: Principal) {
    return this.cases.addWorkLog(id, by, dto);
  }

  @Get(':id/worklog')
  workLog(@Param('id', new ParseUUIDPipe()) id: string, @Query() q: PageQuery, @CurrentPrincipal() by: Principal) {
    return this.cases.listWorkLog(id, by, q.limit, q.offset);
  }
}
