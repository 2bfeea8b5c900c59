import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsDateString, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageOf, PageQuery } from '@aftersales/platform';
import { PART_NUMBER_RE } from '../catalog/catalog.dto';

export const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const idMessage = (f: string) => ({ message: `${f} must be 1-64 letters, digits or ._:- (starting with a letter or digit)` });

export class CreateDepotDto {
  @ApiProperty({ example: 'N-BJ' }) @IsString() @Matches(ID_RE, idMessage('id')) id: string;
  @ApiProperty({ example: 'Beijing home-city depot' }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiProperty({ example: 'north' }) @IsString() @Matches(ID_RE, idMessage('region')) region: string;
  @ApiPropertyOptional({ example: 'Beijing' }) @IsOptional() @IsString() @MaxLength(100) city?: string;
  @ApiPropertyOptional({ default: false, description: 'the region’s home-city depot, tried first (one per region)' })
  @IsOptional()
  @IsBoolean()
  home?: boolean;
}

export class QuantityOfPartDto {
  @ApiProperty({ example: 'HDD-4T-SAS' })
  @IsString()
  @Matches(PART_NUMBER_RE, { message: 'partNumber is not a part number' })
  partNumber: string;
  @ApiProperty({ minimum: 1, example: 5 }) @IsInt() @Min(1) @Max(1_000_000) quantity: number;
}

export class StockInDto extends QuantityOfPartDto {
  @ApiPropertyOptional({ description: 'delivery note, purchase order…' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export class InboundDto extends QuantityOfPartDto {
  @ApiProperty({ description: 'when the units are expected at the depot' }) @IsDateString({ strict: true }) expectedAt: string;
}

export class MinimumDto {
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) @Max(1_000_000) minLevel: number;
}

export class DepotListQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(ID_RE) region?: string;
}

export class StockListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'only parts below their minimum level' })
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true')
  @IsBoolean()
  belowMinimum?: boolean;
}

export class DepotView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() region: string;
  @ApiPropertyOptional({ type: String, nullable: true }) city: string | null;
  @ApiProperty() home: boolean;
  @ApiProperty() createdAt: Date;
}

export const DepotPage = PageOf(DepotView);

export class StockView {
  @ApiProperty() depotId: string;
  @ApiProperty() partNumber: string;
  @ApiProperty({ description: 'good units in the depot, reserved ones included' }) onHand: number;
  @ApiProperty({ description: 'held for part requests' }) reserved: number;
  @ApiProperty({ description: 'on hand minus reserved' }) available: number;
  @ApiProperty({ description: 'announced, on their way in' }) inTransit: number;
  @ApiProperty({ description: 'faulty units back, awaiting repair, the vendor or scrap' }) defective: number;
  @ApiProperty() minLevel: number;
  @ApiProperty() belowMinimum: boolean;
  @ApiProperty() updatedAt: Date;
}

export const StockPage = PageOf(StockView);

export class InboundView {
  @ApiProperty() id: string;
  @ApiProperty() depotId: string;
  @ApiProperty() partNumber: string;
  @ApiProperty() quantity: number;
  @ApiProperty() expectedAt: Date;
  @ApiPropertyOptional({ type: String, nullable: true }) planId: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) receivedAt: Date | null;
}

export class DepotReportView {
  @ApiProperty() depotId: string;
  @ApiProperty({ example: '2026-03-02' }) day: string;
  @ApiProperty() parts: number;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) belowMinimum: Array<{
    partNumber: string;
    available: number;
    minLevel: number;
  }>;
  @ApiProperty() overdueReturns: number;
  @ApiProperty() createdAt: Date;
}

export const DepotReportPage = PageOf(DepotReportView);
