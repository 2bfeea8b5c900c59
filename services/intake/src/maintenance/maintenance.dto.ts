import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@aftersales/platform';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PLAN_LIMITS } from '../domain/maintenance-schedule';
import { IsLocalDate } from '../registry/registry.dtos';

const ID_RE = /^[A-Za-z0-9_.:-]{1,64}$/;

export class CreatePlanDto {
  @ApiProperty({
    enum: ['inspection', 'remote-check', 'maintenance-record'],
    description: '巡检 per site, a remote check, or the monthly record',
  })
  @IsIn(['inspection', 'remote-check', 'maintenance-record'])
  kind: 'inspection' | 'remote-check' | 'maintenance-record';
  @ApiProperty({ example: 3, description: 'months between occurrences (quarterly: 3; a record is monthly: 1)' })
  @IsInt()
  @Min(PLAN_LIMITS.everyMonths[0])
  @Max(PLAN_LIMITS.everyMonths[1])
  everyMonths: number;
  @ApiPropertyOptional({ example: 14, default: 14, description: 'days ahead the customer is told (inspections and remote checks)' })
  @IsOptional()
  @IsInt()
  @Min(PLAN_LIMITS.leadDays[0])
  @Max(PLAN_LIMITS.leadDays[1])
  leadDays?: number;
  @ApiPropertyOptional({ enum: ['letter', 'fax', 'email'], default: 'email', description: 'how it is announced' })
  @IsOptional()
  @IsIn(['letter', 'fax', 'email'])
  announceBy?: 'letter' | 'fax' | 'email';
  @ApiPropertyOptional({ example: 10, default: 10, description: 'days after it starts by which the report must be signed' })
  @IsOptional()
  @IsInt()
  @Min(PLAN_LIMITS.completeWithinDays[0])
  @Max(PLAN_LIMITS.completeWithinDays[1])
  completeWithinDays?: number;
  @ApiPropertyOptional({ description: 'inspections: one site (default: every site of the contract’s assets)' })
  @IsOptional()
  @Matches(ID_RE, { message: 'siteId must be a site id' })
  siteId?: string;
  @ApiPropertyOptional({ description: 'default: the contract’s start' }) @IsOptional() @IsLocalDate() startsOn?: string;
  @ApiPropertyOptional({ description: 'default: the contract’s end' }) @IsOptional() @IsLocalDate() endsOn?: string;
}

export class ChecklistItemDto {
  @ApiProperty({ example: 'fans' })
  @Matches(/^[A-Za-z0-9_.-]{1,40}$/, { message: 'itemId must be 1-40 letters, digits or _.-' })
  itemId: string;
  @ApiProperty({ example: 'fans spin, no airflow alarm' })
  @IsString()
  @Matches(/\S/, { message: 'text must not be blank' })
  @MaxLength(500)
  text: string;
}

export class ChecklistDto {
  @ApiProperty({ type: [ChecklistItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ChecklistItemDto)
  items: ChecklistItemDto[];
}

export class OccurrenceQuery extends PageQuery {}

export class PlanView {
  @ApiProperty() id: string;
  @ApiProperty() contractId: string;
  @ApiProperty() kind: string;
  @ApiPropertyOptional({ nullable: true }) siteId: string | null;
  @ApiProperty() everyMonths: number;
  @ApiProperty() leadDays: number;
  @ApiPropertyOptional({ nullable: true }) announceBy: string | null;
  @ApiProperty() completeWithinDays: number;
  @ApiProperty() startsOn: string;
  @ApiProperty() endsOn: string;
  @ApiProperty({ description: 'the next occurrences (timer rows)' }) next: unknown[];
}
