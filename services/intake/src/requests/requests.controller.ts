import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { CurrentPrincipal, PageOf, PageQuery, Principal, Roles, sendStored } from '@aftersales/platform';
import { CreateRequestDto } from './create-request.dto';
import { RequestsService } from './requests.service';
import { FiledRequestView, RequestView } from '../api/responses';

export class ListRequestsQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() caseId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) customerId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) serialNumber?: string;
  @ApiPropertyOptional({ description: 'the calls linked to this request as duplicates' })
  @IsOptional()
  @IsUUID()
  linkedRequestId?: string;
}

@ApiTags('requests')
@ApiBearerAuth()
@Controller('requests')
export class RequestsController {
  constructor(private readonly requests: RequestsService) {}

  /** 201 with the new request, or 200 with `duplicateOf` when the call was linked to an open request. */
  @Post()
  @HttpCode(201)
  @Roles('agent', 'engineer', 'customer', 'admin')
  @ApiCreatedResponse({ type: FiledRequestView, description: 'a new request (its case follows on the bus)' })
  @ApiOkResponse({ type: FiledRequestView, description: 'the call was linked to an open request: see `duplicateOf`' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async create(
    @Body() dto: CreateRequestDto,
    @CurrentPrincipal() by: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return sendStored(res, await this.requests.create(dto, by, key));
  }

  @Get(':id')
  @ApiOkResponse({ type: RequestView })
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by: Principal) {
    return this.requests.get(id, by);
  }

  @Get()
  @ApiOkResponse({ type: PageOf(RequestView) })
  list(@Query() q: ListRequestsQuery, @CurrentPrincipal() by: Principal) {
    return this.requests.list(by, q.limit, q.offset, q);
  }
}
