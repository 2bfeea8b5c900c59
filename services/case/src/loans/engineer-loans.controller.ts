import { applyDecorators, Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Type } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
import { ServiceConfig } from '@aftersales/config';
import { CurrentPrincipal, PageQuery, Principal, Roles, SERVICE_CONFIG } from '@aftersales/platform';
import { AnswerLoanDto, AskLoanDto, DeclineLoanDto, EngineerLoanPage, EngineerLoanView, LoanWorkDto } from './engineer-loans.dto';
import { EngineerLoansService } from './engineer-loans.service';

const STAFF = ['agent', 'engineer', 'manager', 'admin'] as const;
const uuid = new ParseUUIDPipe();
/** A read any staff member may make. */
const StaffRead = (path: string, type: Type<unknown>, description?: string) =>
  applyDecorators(Get(path), Roles(...STAFF), ApiOkResponse({ type, ...(description ? { description } : {}) }));
const PROBLEM = {
  schema: { type: 'object', properties: { statusCode: { type: 'number' }, message: { type: 'string' }, errors: { type: 'array' } } },
};

/**
 * Engineers lent between regions over the interregion topic: the asking region asks, the lending
 * region's manager answers, the loaned engineer records work where they are.
 */
@ApiTags('interregion')
@ApiBearerAuth()
@Controller('engineer-loans')
export class EngineerLoansController {
  constructor(
    private readonly loans: EngineerLoansService,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('agent', 'manager', 'admin')
  @ApiOperation({ summary: 'Ask another region (its own deployment) to lend an engineer for a case of this region' })
  @ApiResponse({ status: 201, type: EngineerLoanView })
  @ApiResponse({ status: 400, ...PROBLEM, description: 'a field is missing or wrong' })
  @ApiResponse({ status: 422, ...PROBLEM, description: 'unknown or closed case, or the case’s own region' })
  ask(@Body() dto: AskLoanDto, @CurrentPrincipal() by: Principal) {
    return this.loans.ask(dto, by);
  }

  @StaffRead('', EngineerLoanPage, 'loans this region asked for or was asked for')
  list(@Query() q: PageQuery, @CurrentPrincipal() by: Principal) {
    return this.loans.list(by, q.limit, q.offset);
  }

  @StaffRead(':id', EngineerLoanView)
  @ApiResponse({ status: 404, ...PROBLEM })
  get(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.loans.get(id, by);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'The lending region’s manager lends one of its engineers' })
  @ApiOkResponse({ type: EngineerLoanView })
  @ApiResponse({ status: 404, ...PROBLEM, description: 'no such loan asked of this region' })
  @ApiResponse({ status: 409, ...PROBLEM, description: 'answered already: `allowed` lists what is' })
  @ApiResponse({ status: 422, ...PROBLEM, description: 'no such active engineer in this region' })
  approve(@Param('id', uuid) id: string, @Body() dto: AnswerLoanDto, @CurrentPrincipal() by: Principal) {
    return this.loans.approve(id, dto, by);
  }

  @Post(':id/decline')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOkResponse({ type: EngineerLoanView })
  @ApiResponse({ status: 404, ...PROBLEM })
  @ApiResponse({ status: 409, ...PROBLEM, description: 'answered already' })
  decline(@Param('id', uuid) id: string, @Body() dto: DeclineLoanDto, @CurrentPrincipal() by: Principal) {
    return this.loans.decline(id, dto, by);
  }

  @Post(':id/worklog')
  @HttpCode(200)
  @Roles('engineer', 'manager', 'admin')
  @ApiOperation({ summary: 'The loaned engineer records work on the asking region’s case (it joins that case’s work log)' })
  @ApiOkResponse({ type: EngineerLoanView })
  @ApiResponse({ status: 403, ...PROBLEM, description: 'neither the loaned engineer nor a manager' })
  @ApiResponse({ status: 404, ...PROBLEM })
  @ApiResponse({ status: 409, ...PROBLEM, description: 'the loan is not running' })
  work(@Param('id', uuid) id: string, @Body() dto: LoanWorkDto, @CurrentPrincipal() by: Principal) {
    return this.loans.work(id, dto, by);
  }

  // ---- over the interregion topic: each region acts only on what is addressed to it -----------

  @OnEvent('case.loan.requested.v1', { consumer: 'case.loan.requested' })
  async onRequested(e: Envelope<'case.loan.requested.v1'>, tx: HandlerContext): Promise<void> {
    if (e.data.toRegion === this.config.region) await this.loans.onRequested(e, tx);
  }

  @OnEvent('case.loan.answered.v1', { consumer: 'case.loan.answered' })
  async onAnswered(e: Envelope<'case.loan.answered.v1'>, tx: HandlerContext): Promise<void> {
    if (e.data.fromRegion === this.config.region) await this.loans.onAnswered(e, tx);
  }

  @OnEvent('case.loan.worked.v1', { consumer: 'case.loan.worked' })
  async onWorked(e: Envelope<'case.loan.worked.v1'>, tx: HandlerContext): Promise<void> {
    if (e.data.fromRegion === this.config.region) await this.loans.onWorked(e, tx);
  }
}
