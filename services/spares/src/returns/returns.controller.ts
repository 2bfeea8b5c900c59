import { Body, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '@aftersales/platform';
import { ProblemView } from '../catalog/catalog.dto';
import { DisposeReturnDto, ReceiveReturnDto, ReturnPage, ReturnQuery, ReturnView } from './returns.dto';
import { ReturnsService } from './returns.service';
import { Move, Read, SparesApi, uuid } from '../shared/http';

/** Faulty and DOA parts owed back to the depots. Staff of the case's or the depot's region see them. */
@SparesApi('returns', 'returns')
export class ReturnsController {
  constructor(private readonly returns: ReturnsService) {}

  @Read(undefined, ReturnPage)
  list(@Query() q: ReturnQuery, @CurrentPrincipal() by: Principal) {
    return this.returns.list(by, { state: q.state, overdue: q.overdue, requestId: q.requestId }, q.limit, q.offset);
  }

  @Read(':id', ReturnView, { notFound: true })
  get(@Param('id', uuid) id: string, @CurrentPrincipal() by: Principal) {
    return this.returns.get(id, by);
  }

  @Move(':id/receive', ReturnView, { conflict: 'already received: `allowed` lists what is' })
  @ApiOperation({ summary: 'The faulty part is back at a depot (counted defective there)' })
  @ApiResponse({ status: 422, type: ProblemView, description: 'unknown depot' })
  receive(@Param('id', uuid) id: string, @Body() dto: ReceiveReturnDto, @CurrentPrincipal() by: Principal) {
    return this.returns.receive(id, dto, by);
  }

  @Move(':id/disposition', ReturnView, {
    conflict: 'not received yet, or decided already: `allowed` lists what is',
    roles: ['engineer', 'manager', 'admin'],
  })
  @ApiOperation({ summary: 'Repaired back to stock, sent to the vendor (RMA number) or scrapped; the caller decided, with a reason' })
  @ApiResponse({ status: 400, type: ProblemView, description: 'no reason, or no RMA number for the vendor' })
  dispose(@Param('id', uuid) id: string, @Body() dto: DisposeReturnDto, @CurrentPrincipal() by: Principal) {
    return this.returns.dispose(id, dto, by);
  }
}
