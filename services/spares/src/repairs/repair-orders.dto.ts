import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { PageOf, PageQuery } from '@aftersales/platform';
import { PART_NUMBER_RE } from '../catalog/catalog.dto';
import { ID_RE } from '../depots/depots.dto';

const STATES = ['received', 'diagnosed', 'quoted', 'accepted', 'declined', 'repaired', 'returned'];

export class CreateRepairOrderDto {
  @ApiProperty({ enum: ['carry-in', 'mail-in'] }) @IsIn(['carry-in', 'mail-in']) channel: 'carry-in' | 'mail-in';
  @ApiPropertyOptional({ description: 'the case; its customer, region, contract and warranty apply' })
  @IsOptional()
  @IsUUID()
  caseId?: string;
  @ApiPropertyOptional({ description: 'required without a case' })
  @ValidateIf((o: CreateRepairOrderDto) => !o.caseId)
  @IsString({ message: 'customerId is required without a caseId' })
  @Matches(ID_RE, { message: 'customerId is not a customer id' })
  customerId?: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(128) serialNumber: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) productModel?: string;
  @ApiPropertyOptional({ description: 'the contract whose repair terms (quote %) apply' })
  @IsOptional()
  @IsString()
  @Matches(ID_RE)
  contractId?: string;
  @ApiPropertyOptional({
    description: 'YYYY-MM-DD; decides in or out of warranty (else the case’s warranty status)',
    example: '2026-12-31',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'warrantyEndsOn must be YYYY-MM-DD' })
  warrantyEndsOn?: string;
  @ApiProperty({ description: 'the unit’s condition on receipt', example: 'scratched lid, powers on, no display' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  condition: string;
  @ApiPropertyOptional({ type: [String], example: ['power adapter', 'carry bag'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  accessories?: string[];
  @ApiPropertyOptional({ type: [String], description: 'photo references (attachment ids or URLs)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  photos?: string[];
}

export class DiagnoseDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) fault: string;
  @ApiPropertyOptional({ description: 'the part to replace (its contract price is what an out-of-warranty quote is based on)' })
  @IsOptional()
  @IsString()
  @Matches(PART_NUMBER_RE, { message: 'partNumber is not a part number' })
  partNumber?: string;
}

export class RepairDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) notes?: string;
}

export class DeclineDto {
  @ApiPropertyOptional({
    description: 'why the customer declines the quote (the case closes with it)',
    example: 'cheaper to replace the unit',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason?: string;
}

export class ShipBackDto {
  @ApiPropertyOptional({ description: 'mail-in: the carrier' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  carrier?: string;
  @ApiPropertyOptional({ description: 'mail-in: the tracking number' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  trackingNumber?: string;
  @ApiPropertyOptional({ description: 'carry-in: who collected the unit' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  collectedBy?: string;
}

export class RepairTermsDto {
  @ApiProperty({ description: 'out-of-warranty repair quote, % of the part’s contract price', example: 12 })
  // not IsNumber's maxDecimalPlaces: it throws on exponent notation (5e-324), which would be a 500
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @ValidateBy({
    name: 'twoDecimals',
    validator: {
      validate: (v: unknown) => typeof v === 'number' && Math.round(v * 100) === v * 100,
      defaultMessage: () => 'quotePercent must have at most two decimal places',
    },
  })
  @Min(0)
  @Max(100)
  quotePercent: number;
}

export class RepairOrderQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STATES }) @IsOptional() @IsIn(STATES) state?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() caseId?: string;
}

export class RepairOrderView {
  @ApiProperty() id: string;
  @ApiPropertyOptional({ type: String, nullable: true }) caseId: string | null;
  @ApiProperty() customerId: string;
  @ApiProperty() region: string;
  @ApiProperty({ enum: ['carry-in', 'mail-in'] }) channel: string;
  @ApiProperty() serialNumber: string;
  @ApiPropertyOptional({ type: String, nullable: true }) productModel: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) contractId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) warrantyEndsOn: string | null;
  @ApiProperty() inWarranty: boolean;
  @ApiProperty() condition: string;
  @ApiProperty({ type: [String] }) accessories: string[];
  @ApiProperty({ type: [String] }) photos: string[];
  @ApiPropertyOptional({ type: String, nullable: true }) fault: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) partNumber: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '12.00' }) quotePercent: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '300.00' }) quoteAmount: string | null;
  @ApiProperty({ enum: STATES }) state: string;
  @ApiProperty({ type: [String], description: 'the actions allowed next' }) allowed: string[];
  @ApiPropertyOptional({ type: String, nullable: true }) carrier: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) trackingNumber: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) collectedBy: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) repairNotes: string | null;
  @ApiProperty() receivedBy: string;
  @ApiProperty() receivedAt: Date;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) diagnosedAt: Date | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) quotedAt: Date | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) decidedAt: Date | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) repairedAt: Date | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) returnedAt: Date | null;
  @ApiProperty() updatedAt: Date;
}

export const RepairOrderPage = PageOf(RepairOrderView);

export class RepairTermsView {
  @ApiProperty() contractId: string;
  @ApiProperty() quotePercent: number;
  @ApiProperty() updatedBy: string;
  @ApiProperty() updatedAt: Date;
}
