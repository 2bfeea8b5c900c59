import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DowntimeCause } from '@aftersales/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { MAX_PERIODS } from '../domain/downtime';

export class DowntimePeriodDto {
  @ApiProperty({ example: '2026-03-02T01:00:00Z' }) @IsISO8601({ strict: true }) from: string;
  @ApiProperty({ example: '2026-03-04T01:00:00Z' }) @IsISO8601({ strict: true }) to: string;
}

export class ClassifyDowntimeDto {
  @ApiProperty({ enum: DowntimeCause.options, description: 'only supplier-caused downtime extends the warranty (seed 003)' })
  @IsIn(DowntimeCause.options, { message: `cause must be one of ${DowntimeCause.options.join(', ')}` })
  cause: DowntimeCause;
  @ApiProperty({ description: 'why (audited)', example: 'controller firmware defect, vendor bulletin 2026-07' })
  @IsString()
  @Matches(/\S/, { message: 'reason must not be blank' })
  @MaxLength(2000)
  reason: string;
  @ApiPropertyOptional({
    type: [DowntimePeriodDto],
    description:
      'the stoppages as they really were, when they differ from what the SLA clock measured (report to resolution minus customer waits)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_PERIODS)
  @ValidateNested({ each: true })
  @Type(() => DowntimePeriodDto)
  periods?: DowntimePeriodDto[];
}

export class DowntimeClassificationView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: DowntimeCause.options }) cause: string;
  @ApiPropertyOptional({ enum: DowntimeCause.options, nullable: true }) previousCause: string | null;
  @ApiProperty() reason: string;
  @ApiPropertyOptional({ type: [DowntimePeriodDto], nullable: true }) periods: Array<{ from: string; to: string }> | null;
  @ApiProperty() actor: { subject: string; role: string };
  @ApiProperty() at: string;
}

export class DowntimeView {
  @ApiProperty() caseId: string;
  @ApiPropertyOptional({ enum: DowntimeCause.options, nullable: true, description: 'null: not classified yet (no warranty extension)' })
  cause: string | null;
  @ApiProperty({ type: [DowntimeClassificationView], description: 'every setting and correction, oldest first' })
  history: DowntimeClassificationView[];
}
