import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class ReportQuery {
  @ApiPropertyOptional({ example: '2026-03-01', description: 'first local day (CASE_REPORT_TIME_ZONE); default: 30 days ago' })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;
  @ApiPropertyOptional({ example: '2026-04-01', description: 'the day after the last (exclusive); default: tomorrow' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;
  @ApiPropertyOptional({ enum: ['week', 'month'], default: 'month' }) @IsOptional() @IsIn(['week', 'month']) groupBy?: 'week' | 'month';
  @ApiPropertyOptional({ description: 'admins: one region (default: all); others always see their own' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'region must be a region id' })
  region?: string;
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

export class SatisfactionQuery extends ReportQuery {
  @ApiPropertyOptional({ enum: ['engineer', 'region', 'item'], default: 'engineer' })
  @IsOptional()
  @IsIn(['engineer', 'region', 'item'])
  by?: 'engineer' | 'region' | 'item';
}
