import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageOf, PageQuery } from '@aftersales/platform';
import { PART_CLASSES } from './part';

export const PART_NUMBER_RE = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
const MONEY_RE = /^\d{1,10}(\.\d{1,2})?$/;
const money = ({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value);

export class CreatePartDto {
  @ApiProperty({ example: 'HDD-4T-SAS' })
  @IsString()
  @Matches(PART_NUMBER_RE, { message: 'partNumber must be 1-64 letters, digits or ._/- (starting with a letter or digit)' })
  partNumber: string;

  @ApiProperty({ example: '4 TB SAS disk, 7.2k rpm' }) @IsString() @IsNotEmpty() @MaxLength(500) description: string;

  @ApiProperty({ enum: PART_CLASSES }) @IsIn(PART_CLASSES) partClass: (typeof PART_CLASSES)[number];

  @ApiPropertyOptional({ type: [String], example: ['OceanStor 5500'], description: "product models it fits (CSV: separated by '|')" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(128, { each: true })
  compatibleModels?: string[];

  @ApiProperty({ example: '1800.00', description: 'what the part costs us' })
  @Transform(money)
  @IsString()
  @Matches(MONEY_RE, { message: 'unitCost must be an amount like 1800 or 1800.50' })
  unitCost: string;

  @ApiProperty({ example: '2500.00', description: 'price under contract (seed 004: repairs out of warranty cost 12 % of it)' })
  @Transform(money)
  @IsString()
  @Matches(MONEY_RE, { message: 'contractPrice must be an amount like 2500 or 2500.50' })
  contractPrice: string;

  @ApiPropertyOptional({ default: true, description: 'the replaced faulty part must come back' })
  @IsOptional()
  @IsBoolean()
  mustReturn?: boolean;

  @ApiPropertyOptional({ default: 7, description: 'days from delivery in which a dead part is exchanged, not repaired' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  doaDays?: number;

  @ApiPropertyOptional({ default: false, description: 'supplied for life at contract price (seed 004)' })
  @IsOptional()
  @IsBoolean()
  lifetimeSupply?: boolean;
}

export class PartListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'parts compatible with this product model' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  model?: string;
  @ApiPropertyOptional({ enum: PART_CLASSES }) @IsOptional() @IsIn(PART_CLASSES) partClass?: string;
}

export class PartView {
  @ApiProperty() partNumber: string;
  @ApiProperty() description: string;
  @ApiProperty({ enum: PART_CLASSES }) partClass: string;
  @ApiProperty({ type: [String] }) compatibleModels: string[];
  @ApiProperty({ example: '1800.00' }) unitCost: string;
  @ApiProperty({ example: '2500.00' }) contractPrice: string;
  @ApiProperty() mustReturn: boolean;
  @ApiProperty() doaDays: number;
  @ApiProperty() lifetimeSupply: boolean;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export const PartPage = PageOf(PartView);

/** The problem shape of every 4xx: `errors` names each field and why. */
export class ProblemView {
  @ApiProperty() statusCode: number;
  @ApiProperty() message: string;
  @ApiProperty({ type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, reason: { type: 'string' } } } })
  errors: Array<{ field: string; reason: string }>;
  @ApiPropertyOptional({ type: [String], description: 'for an illegal move: the actions allowed in the current state' })
  allowed?: string[];
}
