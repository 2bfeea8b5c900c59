import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';
import { PageOf } from '@aftersales/platform';
import { PART_NUMBER_RE } from '../catalog/catalog.dto';

const SEVERITIES = ['P1', 'P2', 'P3', 'P4'];
const STATES = ['requested', 'approved', 'declined', 'shipped', 'delivered'];

export class CreatePartAskDto {
  @ApiProperty({ description: 'the case of this region the part is for' }) @IsUUID() caseId: string;

  @ApiProperty({ example: 'south', description: 'the region whose depots are asked (its own deployment)' })
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,31}$/, { message: 'toRegion is not a region name' })
  toRegion: string;

  @ApiProperty({ example: 'HDD-4T-SAS' })
  @IsString()
  @Matches(PART_NUMBER_RE, { message: 'partNumber is not a part number' })
  partNumber: string;

  @ApiProperty({ minimum: 1, maximum: 1000, example: 1 }) @IsInt() @Min(1) @Max(1000) quantity: number;

  @ApiPropertyOptional({ description: 'when the part must be at the site; default: from the case severity (SPARES_NEEDED_BY_HOURS)' })
  @IsOptional()
  @IsDateString({ strict: true })
  neededBy?: string;

  @ApiPropertyOptional({ enum: SEVERITIES, description: 'default: the case’s severity' })
  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: string;
}

export class PartAskView {
  @ApiProperty({ format: 'uuid', description: 'the same id in both regions' }) id: string;
  @ApiProperty({ enum: ['asking', 'asked'], description: 'asking: this region asked; asked: another region asked this one' })
  side: string;
  @ApiProperty() fromRegion: string;
  @ApiProperty() toRegion: string;
  @ApiProperty({ format: 'uuid', description: 'the asking region’s case' }) caseId: string;
  @ApiProperty({ nullable: true, type: String }) caseNumber: string | null;
  @ApiProperty({ enum: SEVERITIES }) severity: string;
  @ApiProperty() partNumber: string;
  @ApiProperty() quantity: number;
  @ApiProperty({ format: 'date-time' }) neededBy: string;
  @ApiProperty({ enum: STATES }) state: string;
  @ApiProperty({ nullable: true, type: String, description: 'asked side: the part request its manager approves' }) requestId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the depot holding the part' }) depotId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'why it was declined' }) reason: string | null;
  @ApiProperty() requestedBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export const PartAskPage = PageOf(PartAskView);
