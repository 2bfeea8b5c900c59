import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles, sendStored } from '@aftersales/platform';
import { AgreementPage, AgreementQuery, AgreementView, CreateAgreementDto } from './agreements.dto';
import { AgreementsService } from './agreements.service';

/** Maintenance agreements after the warranty (seed 004), with renewal reminders. Customers read their own. */
@ApiTags('agreements')
@ApiBearerAuth()
@Controller('agreements')
export class AgreementsController {
  constructor(private readonly agreements: AgreementsService) {}

  @Post()
  @Roles('manager', 'admin')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOperation({ summary: 'Record a maintenance agreement over installed assets; reminders are scheduled 60/30/7 days before its end' })
  @ApiCreatedResponse({ type: AgreementView })
  @ApiResponse({ status: 400, description: 'a field is malformed, or endsOn is not after startsOn' })
  @ApiResponse({ status: 409, description: 'an asset is already under another agreement on one of those days' })
  @ApiResponse({ status: 422, description: 'unknown customer, contract, calendar or asset' })
  async create(
    @Body() dto: CreateAgreementDto,
    @CurrentPrincipal() by: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return sendStored(res, await this.agreements.create(dto, by, key));
  }

  @Get()
  @Roles('agent', 'engineer', 'manager', 'admin', 'customer')
  @ApiOkResponse({ type: AgreementPage })
  list(@Query() q: AgreementQuery, @CurrentPrincipal() by: Principal) {
    return this.agreements.list(by, { customerId: q.customerId, assetId: q.assetId }, q.limit, q.offset);
  }

  @Get(':id')
  @Roles('agent', 'engineer', 'manager', 'admin', 'customer')
  @ApiOkResponse({ type: AgreementView })
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by: Principal) {
    return this.agreements.get(id, by);
  }
}
