import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export class AskLoanDto {
  @ApiProperty({ format: 'uuid', description: 'the case of this region that needs help' }) @IsUUID() caseId: string;

  @ApiProperty({ example: 'south', description: 'the region asked to lend an engineer (its own deployment)' })
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,31}$/, { message: 'toRegion is not a region name' })
  toRegion: string;

  @ApiProperty({ example: 'need a storage expert on site tomorrow' }) @IsString() @IsNotEmpty() @MaxLength(2000) summary: string;

  @ApiPropertyOptional({ type: [String], description: 'skills (product lines) wanted; default: the case’s product line' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  skills?: string[];
}

export class AnswerLoanDto {
  @ApiProperty({ example: 'eng-zhao', description: 'the engineer of this region lent to the case' })
  @IsString()
  @IsNotEmpty()
  engineerId: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) reason?: string;
}

export class DeclineLoanDto {
  @ApiProperty({ example: 'nobody free this week' }) @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

export class LoanWorkDto {
  @ApiProperty({ example: 'replaced the controller, array back online' }) @IsString() @IsNotEmpty() @MaxLength(4000) text: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 1440 }) @IsOptional() @IsInt() @Min(0) @Max(1440) minutes?: number;
  @ApiPropertyOptional({ default: false, description: 'the loan ends with this entry' }) @IsOptional() @IsBoolean() done?: boolean;
}

export class EngineerLoanView {
  @ApiProperty({ format: 'uuid', description: 'the same id in both regions' }) id: string;
  @ApiProperty({ enum: ['asking', 'lending'] }) side: string;
  @ApiProperty() fromRegion: string;
  @ApiProperty() toRegion: string;
  @ApiProperty({ format: 'uuid', description: 'the asking region’s case' }) caseId: string;
  @ApiProperty({ nullable: true, type: String }) caseNumber: string | null;
  @ApiProperty({ enum: ['P1', 'P2', 'P3', 'P4'] }) severity: string;
  @ApiProperty() summary: string;
  @ApiProperty({ type: [String] }) skills: string[];
  @ApiProperty({ enum: ['requested', 'approved', 'declined', 'completed'] }) state: string;
  @ApiProperty({ nullable: true, type: String }) engineerId: string | null;
  @ApiProperty({ nullable: true, type: String }) engineerName: string | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty() requestedBy: string;
  @ApiProperty({ nullable: true, type: String }) decidedBy: string | null;
  @ApiProperty() workedMinutes: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class EngineerLoanPage {
  @ApiProperty({ type: [EngineerLoanView] }) items: EngineerLoanView[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}
