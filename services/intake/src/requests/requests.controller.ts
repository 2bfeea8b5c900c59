import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, PageQuery, Principal, Roles } from '@aftersales/platform';
import { CreateRequestDto } from './create-request.dto';
import { RequestsService } from './requests.service';

@ApiTags('requests')
@ApiBearerAuth()
@Controller('requests')
export class RequestsController {
  constructor(private readonly requests: RequestsService) {}

  @Post()
  @HttpCode(201)
  @Roles('agent', 'engineer', 'customer', 'admin')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async create(
    @Body() dto: CreateRequestDto,
    @CurrentPrincipal() by: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.requests.create(dto, by, key);
    res.status(result.status);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result.body;
  }

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by: Principal) {
    return this.requests.get(id, by);
  }

  @Get()
  list(@Query() page: PageQuery, @CurrentPrincipal() by: Principal) {
    return this.requests.list(by, page.limit, page.offset);
  }
}
