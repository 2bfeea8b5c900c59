import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@aftersales/platform';
import { ProblemView } from '../catalog/catalog.dto';
import { DisposeReturnDto, ReceiveReturnDto, ReturnPage, ReturnQuery, ReturnView } from './returns.dto';
import { ReturnsService } from './returns.service';

const STAFF = ['agent', 'engineer', 'manager', 'admin'] as const;
const uuid = new ParseUUIDPipe();

/** Faulty and DOA parts owed back to the depots. Staff of the case's or the depot's region see them. */
@ApiTags('returns')
@ApiBearerAuth()
@Controller('returns')
export class ReturnsController {
  constructor(private readonly returns: ReturnsService) {}

  @Get()
  @Roles(...STAFF)
  @ApiOkResponse({ type: ReturnPage })
  list(@Query() q: ReturnQuery, @CurrentPrincipal() by: Principal) {
    return this.returns.list(by, { state: q.state, overdue: q.overdue, requestId: q.requestId }, q.limit, q.offset);
  }

  @Get(':id')
  @Roles(...STAFF)
  @ApiOkResponse({ type: ReturnView })
  @ApiResponse({ status: 404, type: ProblemView })
  get(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.returns.get(id, by);
  }

  @Post(':id/receive')
  @HttpCode(200)
  @Roles(...STAFF)
  @ApiOperation({ summary: 'The faulty part is back at a depot (counted defective there)' })
  @ApiOkResponse({ type: ReturnView })
  @ApiResponse({ status: 409, type: ProblemView, description: 'already received: `allowed` lists what is' })
  @ApiResponse({ status: 422, type: ProblemView, description: 'unknown depot' })
  receive(@Param('id', uuid) id: string, @Body() dto: ReceiveReturnDto, @CurrentPrincipal() by: Principal) {
    return this.returns.receive(id, dto, by);
  }

  @Post(':id/disposition')
  @HttpCode(200)
  @Roles('engineer', 'manager', 'admin')
  @ApiOperation({ summary: 'Repaired back to stock, sent to the vendor (RMA number) or scrapped; the caller decided, with a reason' })
  @ApiOkResponse({ type: ReturnView })
  @ApiResponse({ status: 400, type: ProblemView, description: 'no reason, or no RMA number for the vendor' })
  @ApiResponse({ status: 409, type: ProblemView, description: 'not received yet, or decided already: `allowed` lists what is' })
  dispose(@Param('id', uuid) id: string, @Body() dto: DisposeReturnDto, @CurrentPrincipal() by: Principal) {
    return this.returns.dispose(id, dto, by);
  }
}
