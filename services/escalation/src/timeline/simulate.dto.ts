import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { IsInstant } from '@aftersales/platform';
import { PAUSE_REASONS, PauseReason, SEVERITIES, Severity } from '../domain';

export class SimulatePauseDto {
  @ApiProperty({ format: 'date-time', description: 'ISO 8601 instant the clock stops, with offset' })
  @IsDefined()
  @IsInstant()
  from: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'ISO 8601 instant the clock resumes, with offset; absent: the pause is still open',
  })
  @IsOptional()
  @IsInstant()
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

  @ApiProperty({
    format: 'date-time',
    description: 'ISO 8601 instant the hypothetical clock starts, with offset (a bare date or local time is refused)',
  })
  @IsDefined()
  @IsInstant()
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
