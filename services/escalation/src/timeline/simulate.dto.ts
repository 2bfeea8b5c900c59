import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PAUSE_REASONS, PauseReason, SEVERITIES, Severity } from '../domain';

export class SimulatePauseDto {
  @ApiProperty({ description: 'ISO 8601 instant the clock stops' })
  @IsDefined()
  @IsISO8601({ strict: true })
  from: string;

  @ApiPropertyOptional({ description: 'ISO 8601 instant the clock resumes; absent: the pause is still open' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ enum: PAUSE_REASONS, description: 'absent: the pause always stops the clock' })
  @IsOptional()
  @IsIn(PAUSE_REASONS)
  reason?: PauseReason;
}

export class SimulateDto {
  @ApiProperty({ enum: SEVERITIES })
  @IsIn(SEVERITIES)
  severity: Severity;

  @ApiProperty({ description: 'ISO 8601 instant the hypothetical clock starts' })
  @IsDefined()
  @IsISO8601({ strict: true })
  startedAt: string;

  @ApiPropertyOptional({ description: 'business calendar to count on (default: around the clock)' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  calendarId?: string;

  @ApiPropertyOptional({ type: [SimulatePauseDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => SimulatePauseDto)
  pauses?: SimulatePauseDto[];
}
