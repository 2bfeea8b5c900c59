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

const PLAN_KINDS = ['inspection', 'remote-check', 'maintenance-record'];
const dateTime = { type: String, format: 'date-time' } as const;
const maybeDateTime = { ...dateTime, nullable: true } as const;

/** One occurrence of a plan (a timer row): when it is scheduled, announced, due, and opened as a case. */
export class OccurrenceView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) planId: string;
  @ApiProperty() seq: number;
  @ApiProperty({ description: 'the site (inspections), empty for the whole contract' }) siteKey: string;
  @ApiProperty() contractId: string;
  @ApiProperty({ enum: PLAN_KINDS }) kind: string;
  @ApiProperty(dateTime) scheduledFor: string;
  @ApiProperty(maybeDateTime) announceAt: string | null;
  @ApiProperty(maybeDateTime) announcedAt: string | null;
  @ApiProperty(maybeDateTime) dueBy: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-05', description: 'monthly records: the month' }) month: string | null;
  @ApiProperty(maybeDateTime) from: string | null;
  @ApiProperty(maybeDateTime) to: string | null;
  @ApiProperty(maybeDateTime) openedAt: string | null;
}

export class PlanView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() contractId: string;
  @ApiProperty() customerId: string;
  @ApiProperty() region: string;
  @ApiProperty({ enum: PLAN_KINDS }) kind: string;
  @ApiProperty({ type: String, nullable: true }) siteId: string | null;
  @ApiProperty() everyMonths: number;
  @ApiProperty() leadDays: number;
  @ApiProperty({ type: String, nullable: true, enum: ['letter', 'fax', 'email'] }) announceBy: string | null;
  @ApiProperty() completeWithinDays: number;
  @ApiProperty({ format: 'date' }) startsOn: string;
  @ApiProperty({ format: 'date' }) endsOn: string;
  @ApiProperty() createdBy: string;
  @ApiProperty(dateTime) createdAt: string;
  @ApiProperty({ type: [OccurrenceView], description: 'the next occurrences not opened yet (timer rows)' }) next: OccurrenceView[];
}

export class ChecklistView {
  @ApiProperty() model: string;
  @ApiProperty({ type: [ChecklistItemDto] }) items: ChecklistItemDto[];
  @ApiProperty() updatedBy: string;
  @ApiProperty(dateTime) updatedAt: string;
}
