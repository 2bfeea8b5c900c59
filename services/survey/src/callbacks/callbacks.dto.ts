import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { Severity } from '@aftersales/contracts';
import { PageQuery } from '@aftersales/platform';

export class ComplaintDto {
  @ApiProperty({ description: 'what the customer complains about', example: 'engineer was rude on site and left the fault unsolved' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  @Matches(/\S/, { message: 'symptom must not be blank' })
  symptom: string;
  @ApiPropertyOptional({ enum: Severity.options, default: 'P3' }) @IsOptional() @IsIn(Severity.options) severity?: Severity;
}

export class CallbackOutcomeDto {
  @ApiProperty({ enum: ['reached', 'unreachable', 'complaint-opened'] })
  @IsIn(['reached', 'unreachable', 'complaint-opened'])
  outcome: 'reached' | 'unreachable' | 'complaint-opened';
  @ApiPropertyOptional({ maxLength: 4000, description: 'what the customer said' }) @IsOptional() @IsString() @MaxLength(4000) note?: string;
  @ApiPropertyOptional({ type: ComplaintDto, description: 'with outcome complaint-opened: the complaint case to open in the case service' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ComplaintDto)
  complaint?: ComplaintDto;
}

export class CallbackListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['open', 'closed'] }) @IsOptional() @IsIn(['open', 'closed']) status?: 'open' | 'closed';
  @ApiPropertyOptional({ example: '2026-W49' })
  @IsOptional()
  @Matches(/^\d{4}-W\d{2}$/, { message: 'week must look like 2026-W49' })
  week?: string;
  @ApiPropertyOptional({ description: 'only those escalation reported overdue (true) or not (false)' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;
}

export class CallbackView {
  @ApiProperty() id: string;
  @ApiProperty() surveyId: string;
  @ApiProperty() caseId: string;
  @ApiProperty() caseNumber: string;
  @ApiProperty() region: string;
  @ApiProperty() week: string;
  @ApiProperty() customerId: string;
  @ApiProperty({ type: [String], example: ['attitude'] }) lowItems: string[];
  @ApiProperty({ example: 'service-delivery-manager' }) assigneeRole: string;
  @ApiProperty() requestedAt: Date;
  @ApiProperty() dueAt: Date;
  @ApiProperty({ enum: ['open', 'closed'] }) status: string;
  @ApiProperty({ nullable: true, type: Date, description: 'when escalation reported the deadline passed' }) overdueAt: Date | null;
  @ApiProperty({ nullable: true, type: String, enum: ['reached', 'unreachable', 'complaint-opened'] }) outcome: string | null;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ nullable: true, type: String }) closedBy: string | null;
  @ApiProperty({ nullable: true, type: Date }) closedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) complaintCaseId: string | null;
  @ApiProperty({ nullable: true, type: String }) complaintCaseNumber: string | null;
}
