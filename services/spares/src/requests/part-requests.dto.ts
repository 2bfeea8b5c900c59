import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsDateString,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { PageOf, PageQuery } from '@aftersales/platform';
import { PART_NUMBER_RE } from '../catalog/catalog.dto';
import { ID_RE } from '../depots/depots.dto';

const STATES = ['awaiting-approval', 'reserved', 'picked', 'shipped', 'delivered', 'installed', 'rejected', 'cancelled', 'doa-exchanged'];

export class CreatePartRequestDto {
  @ApiPropertyOptional({ description: 'the case the part is for (its region, customer and severity apply)' })
  @IsOptional()
  @IsUUID()
  caseId?: string;

  @ApiProperty({ example: 'HDD-4T-SAS' })
  @IsString()
  @Matches(PART_NUMBER_RE, { message: 'partNumber is not a part number' })
  partNumber: string;

  @ApiProperty({ minimum: 1, maximum: 1000, example: 1 }) @IsInt() @Min(1) @Max(1000) quantity: number;

  @ApiPropertyOptional({ description: 'the customer site to deliver to' }) @IsOptional() @IsString() @Matches(ID_RE) siteId?: string;

  @ApiPropertyOptional({ description: 'when the part must be at the site; default: from the case severity (SPARES_NEEDED_BY_HOURS)' })
  @IsOptional()
  @IsDateString({ strict: true })
  neededBy?: string;

  @ApiPropertyOptional({ description: 'take it from this depot only (default: the best depot, own region first)' })
  @IsOptional()
  @IsString()
  @Matches(ID_RE, { message: 'depotId is not a depot id' })
  depotId?: string;

  @ApiPropertyOptional({ enum: ['P1', 'P2', 'P3', 'P4'], description: 'without a case: how urgent (default P3)' })
  @IsOptional()
  @IsIn(['P1', 'P2', 'P3', 'P4'])
  severity?: string;

  @ApiPropertyOptional({ description: 'without a case: for which customer' }) @IsOptional() @IsString() @Matches(ID_RE) customerId?: string;
}

export class ReasonDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

export class OptionalReasonDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) reason?: string;
}

/** Either a carrier with its tracking number, or a named courier / engineer carrying it (seed 003). */
export class ShipDto {
  @ApiPropertyOptional({ example: 'SF Express' })
  @ValidateIf((o: ShipDto) => !o.courier)
  @IsString({ message: 'carrier is required unless a courier carries the part' })
  @IsNotEmpty()
  @MaxLength(100)
  carrier?: string;

  @ApiPropertyOptional({ example: 'SF1234567890' })
  @ValidateIf((o: ShipDto) => !o.courier)
  @IsString({ message: 'trackingNumber is required unless a courier carries the part' })
  @IsNotEmpty()
  @MaxLength(100)
  trackingNumber?: string;

  @ApiPropertyOptional({ description: 'the named person (courier or engineer) who carries the part', example: 'Zhao Gang' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  courier?: string;

  @ApiPropertyOptional({ description: 'units shipped: the whole reservation (default)' }) @IsOptional() @IsInt() @Min(1) quantity?: number;
}

export class PartRequestQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() caseId?: string;
  @ApiPropertyOptional({ enum: STATES }) @IsOptional() @IsIn(STATES) state?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(ID_RE) depotId?: string;
}

export class PartRequestView {
  @ApiProperty() id: string;
  @ApiPropertyOptional({ type: String, nullable: true }) caseId: string | null;
  @ApiProperty() region: string;
  @ApiPropertyOptional({ type: String, nullable: true }) customerId: string | null;
  @ApiProperty() severity: string;
  @ApiProperty() partNumber: string;
  @ApiProperty() quantity: number;
  @ApiPropertyOptional({ type: String, nullable: true }) siteId: string | null;
  @ApiProperty() neededBy: Date;
  @ApiProperty({ enum: STATES }) state: string;
  @ApiProperty({ type: [String], description: 'the actions allowed next' }) allowed: string[];
  @ApiProperty() depotId: string;
  @ApiProperty() depotRegion: string;
  @ApiProperty() crossRegion: boolean;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'the DOA request this one exchanges' }) exchangeOf: string | null;
  @ApiProperty() requestedBy: string;
  @ApiPropertyOptional({ type: String, nullable: true }) decidedBy: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) decisionReason: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) carrier: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) trackingNumber: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) courier: string | null;
  @ApiProperty({ description: 'delivered after neededBy' }) late: boolean;
  @ApiProperty() requestedAt: Date;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) reservedAt: Date | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) pickedAt: Date | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) shippedAt: Date | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) deliveredAt: Date | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) installedAt: Date | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) closedAt: Date | null;
  @ApiProperty() updatedAt: Date;
}

export const PartRequestPage = PageOf(PartRequestView);

class NextBestView {
  @ApiProperty() depotId: string;
  @ApiProperty() region: string;
  @ApiProperty() available: number;
  @ApiProperty({ description: 'earliest time it could have the quantity at the site' }) earliestAt: string;
}

export class OutOfStockView {
  @ApiProperty({ example: 409 }) statusCode: number;
  @ApiProperty() message: string;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) errors: Array<{ field: string; reason: string }>;
  @ApiProperty() outOfStock: boolean;
  @ApiPropertyOptional({ type: NextBestView, nullable: true }) nextBest: NextBestView | null;
}

export class DoaExchangeView {
  @ApiProperty({ type: PartRequestView }) original: PartRequestView;
  @ApiProperty({ type: PartRequestView }) exchange: PartRequestView;
  @ApiProperty() returnId: string;
}

export class RequestMoveView {
  @ApiProperty() action: string;
  @ApiPropertyOptional({ type: String, nullable: true }) from: string | null;
  @ApiProperty() to: string;
  @ApiProperty() actor: { subject: string; role: string };
  @ApiProperty() at: Date;
  @ApiPropertyOptional({ type: Object, nullable: true }) data: Record<string, unknown> | null;
}
