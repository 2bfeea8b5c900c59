import { CaseStatus, CaseType, Severity } from '@aftersales/contracts';
import { PageQuery } from '@aftersales/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

export class CaseListQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() requestId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) caseNumber?: string;
  @ApiPropertyOptional({ enum: CaseStatus.options }) @IsOptional() @IsIn(CaseStatus.options) status?: CaseStatus;
  @ApiPropertyOptional({ enum: Severity.options }) @IsOptional() @IsIn(Severity.options) severity?: Severity;
  @ApiPropertyOptional({ description: 'engineer id, or `me`' }) @IsOptional() @IsString() @MaxLength(100) assignee?: string;
  @ApiPropertyOptional({ enum: CaseType.options }) @IsOptional() @IsIn(CaseType.options) caseType?: string;
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
