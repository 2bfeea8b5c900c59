import { Tier } from '@aftersales/contracts';
import { PageQuery } from '@aftersales/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { GRADES, Grade } from './engineer.entity';

const TIERS = Tier.options;

export class CreateEngineerDto {
  @ApiPropertyOptional({ description: 'staff id (defaults to a generated one); also the subject of the engineer’s token' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{1,64}$/, { message: 'id must be 1-64 letters, digits or . _ : -' })
  id?: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ enum: TIERS }) @IsIn(TIERS) tier: Tier;
  @ApiProperty({ enum: GRADES }) @IsIn(GRADES) grade: Grade;
  @ApiPropertyOptional({ type: [String], description: 'product lines' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  skills?: string[];
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(50) region: string;
  @ApiPropertyOptional() @IsOptional() @IsString() superiorId?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() senior?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ default: 10 }) @IsOptional() @IsInt() @Min(0) @Max(1000) maxLoad?: number;
}

export class UpdateEngineerDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ enum: TIERS }) @IsOptional() @IsIn(TIERS) tier?: Tier;
  @ApiPropertyOptional({ enum: GRADES }) @IsOptional() @IsIn(GRADES) grade?: Grade;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  skills?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(50) region?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() superiorId?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() senior?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1000) maxLoad?: number;
}

const bool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class EngineerQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() region?: string;
  @ApiPropertyOptional({ enum: TIERS }) @IsOptional() @IsIn(TIERS) tier?: Tier;
  @ApiPropertyOptional({ description: 'product line' }) @IsOptional() @IsString() skill?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(bool) @IsBoolean() active?: boolean;
}

export class AssignmentDto {
  @ApiProperty() @IsString() @MinLength(1) engineerId: string;
  @ApiPropertyOptional({ enum: TIERS, description: 'defaults to the engineer’s tier' }) @IsOptional() @IsIn(TIERS) tier?: Tier;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(2000) reason: string;
}
