import { Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { CurrentPrincipal, PageOf, PageQuery, Principal, Roles } from '@aftersales/platform';
import { IsIn, IsOptional, Matches } from 'class-validator';
import type { Response } from 'express';
import { MaintenanceRecordsService, recordCsv } from './maintenance-records.service';
import { MaintenanceRecordView } from '../api/contract-views';
import { ApiController } from '../api/api-controller';

export class RecordQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'contractId must be a contract id' })
  contractId?: string;
  @ApiPropertyOptional({ example: '2026-03' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM' })
  month?: string;
}

export class RecordFormat {
  @ApiPropertyOptional({ enum: ['json', 'csv'] }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

/** Monthly maintenance records of contracts (seed 004). Customers read their own. */
@ApiController('maintenance-records')
export class MaintenanceRecordsController {
  constructor(private readonly records: MaintenanceRecordsService) {}

  @Get()
  @ApiOkResponse({ type: PageOf(MaintenanceRecordView) })
  list(@Query() q: RecordQuery, @CurrentPrincipal() by: Principal) {
    return this.records.list(by, { contractId: q.contractId, month: q.month }, q.limit, q.offset);
  }

  @Get(':id')
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    type: MaintenanceRecordView,
    description: 'the record: counts of the month and its lines (format=csv: one line per count, case, inspection, part)',
  })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() q: RecordFormat,
    @CurrentPrincipal() by: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const r = await this.records.get(id, by);
    if (q.format !== 'csv') return r;
    res.type('text/csv');
    return recordCsv(r);
  }

  @Post(':id/review')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'A manager reviewed the draft' })
  @ApiOkResponse({ type: MaintenanceRecordView, description: 'the record, reviewed' })
  @ApiResponse({ status: 409, description: 'not a draft' })
  review(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by: Principal) {
    return this.records.move(id, 'review', by);
  }

  @Post(':id/send')
  @HttpCode(200)
  @Roles('manager', 'admin', 'agent')
  @ApiOperation({ summary: 'Send the reviewed record to the customer (through notify)' })
  @ApiOkResponse({ type: MaintenanceRecordView, description: 'the record, sent' })
  @ApiResponse({ status: 409, description: 'not reviewed yet, or already sent' })
  send(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by: Principal) {
    return this.records.move(id, 'send', by);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOkResponse({ type: MaintenanceRecordView, description: 'the record, archived' })
  @ApiResponse({ status: 409, description: 'not sent yet' })
  archive(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by: Principal) {
    return this.records.move(id, 'archive', by);
  }
}
