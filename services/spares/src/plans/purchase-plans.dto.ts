import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  ValidateNested,
} from 'class-validator';
import { PageOf, PageQuery } from '@aftersales/platform';
import { ID_RE, QuantityOfPartDto } from '../depots/depots.dto';

const STATES = ['drafted', 'ordered', 'stocked-in'];

export class PlanLinesDto {
  @ApiProperty({ type: [QuantityOfPartDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => QuantityOfPartDto)
  lines: QuantityOfPartDto[];
}

export class OrderPlanDto {
  @ApiProperty({ description: 'the depot the parts are bought for' })
  @IsString()
  @Matches(ID_RE, { message: 'depotId is not a depot id' })
  depotId: string;
  @ApiPropertyOptional({ description: 'expected arrival (default: the plan’s due date)' })
  @IsOptional()
  @IsDateString({ strict: true })
  expectedAt?: string;
}

export class StockInPlanDto {
  @ApiPropertyOptional({ description: 'for a plan not ordered: where the parts go (default: the region’s home depot)' })
  @IsOptional()
  @IsString()
  @Matches(ID_RE, { message: 'depotId is not a depot id' })
  depotId?: string;
}

export class PlanQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STATES }) @IsOptional() @IsIn(STATES) state?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(({ value }) => value === true || value === 'true') @IsBoolean() overdue?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(ID_RE) contractId?: string;
}

class PlanLineView {
  @ApiProperty() partNumber: string;
  @ApiProperty() quantity: number;
}

export class PurchasePlanView {
  @ApiProperty() id: string;
  @ApiProperty() contractId: string;
  @ApiProperty() customerId: string;
  @ApiProperty() region: string;
  @ApiProperty({ enum: STATES }) state: string;
  @ApiProperty({ type: [String], description: 'the actions allowed next' }) allowed: string[];
  @ApiPropertyOptional({ type: String, nullable: true }) depotId: string | null;
  @ApiProperty({ description: 'stock-in deadline (a week after signing)' }) dueAt: Date;
  @ApiProperty({ description: 'escalation reported the deadline passed before stock-in' }) overdue: boolean;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) overdueAt: Date | null;
  @ApiProperty() draftedAt: Date;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) orderedAt: Date | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) stockedInAt: Date | null;
  @ApiPropertyOptional({ type: String, nullable: true }) stockedInBy: string | null;
  @ApiProperty({ type: [PlanLineView] }) lines: PlanLineView[];
}

export const PurchasePlanPage = PageOf(PurchasePlanView);
