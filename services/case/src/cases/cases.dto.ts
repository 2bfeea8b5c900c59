import { CaseStatus, CaseType, Severity } from '@aftersales/contracts';
import { PageQuery } from '@aftersales/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';

export class CaseListQuery extends PageQuery {
  @ApiPropertyOptional({ description: "a customer's cases (staff; a customer token lists only its own)" })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'customerId must be 1-64 letters, digits or _.:-' })
  customerId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() requestId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) caseNumber?: string;
  @ApiPropertyOptional({ enum: CaseStatus.options }) @IsOptional() @IsIn(CaseStatus.options) status?: CaseStatus;
  @ApiPropertyOptional({ enum: Severity.options }) @IsOptional() @IsIn(Severity.options) severity?: Severity;
  @ApiPropertyOptional({ description: 'engineer id, `me`, or several ids separated by commas (a team)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  assignee?: string;
  @ApiPropertyOptional({ enum: CaseType.options }) @IsOptional() @IsIn(CaseType.options) caseType?: string;
  @ApiPropertyOptional({ description: 'only cases not yet resolved, confirmed or closed (the queues)' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  open?: boolean;
  @ApiPropertyOptional({ description: 'product line of the asset' }) @IsOptional() @IsString() @MaxLength(128) productLine?: string;
}

export class AllowedTransitionView {
  @ApiProperty({ enum: CaseStatus.options }) to: CaseStatus;
  @ApiProperty({ description: 'the move needs a reason' }) reasonRequired: boolean;
}

export class AllowedTransitionsView {
  @ApiProperty({ enum: CaseStatus.options }) status: CaseStatus;
  @ApiProperty({ type: [AllowedTransitionView], description: 'the moves the caller’s role may make from here' })
  allowed: AllowedTransitionView[];
}

export class TransitionDto {
  @ApiProperty({ enum: CaseStatus.options }) @IsIn(CaseStatus.options) to: CaseStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export class WorkLogDto {
  @ApiProperty({ enum: ['note', 'call'] }) @IsIn(['note', 'call']) kind: 'note' | 'call';
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(20000) text: string;
  @ApiPropertyOptional({ default: false, description: 'shown to the customer' }) @IsOptional() @IsBoolean() public?: boolean;
}

export class DiagnosisDto {
  @ApiProperty({ description: 'what the fault is (shown to the customer)', example: 'RAID controller A failed: cache battery dead' })
  @IsString()
  @Matches(/\S/, { message: 'summary must not be blank' })
  @MaxLength(20000)
  summary: string;
  @ApiPropertyOptional({ type: [String], description: 'error codes the diagnosis found', example: ['E-RAID-0042'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(/\S/, { each: true, message: 'each value in errorCodes must not be blank' })
  @MaxLength(100, { each: true })
  errorCodes?: string[];
}
