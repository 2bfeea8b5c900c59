import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import { PageOf, PageQuery } from '@aftersales/platform';
import { ID_RE } from '../depots/depots.dto';

const STATES = ['expected', 'received', 'repaired', 'sent-to-vendor', 'scrapped'];
const OUTCOMES = ['repaired', 'sent-to-vendor', 'scrapped'] as const;

export class ReceiveReturnDto {
  @ApiProperty({ example: 'cracked connector, no burn marks' }) @IsString() @IsNotEmpty() @MaxLength(1000) condition: string;
  @ApiPropertyOptional({ description: 'received at another depot than the one that shipped the replacement' })
  @IsOptional()
  @IsString()
  @Matches(ID_RE, { message: 'depotId is not a depot id' })
  depotId?: string;
}

export class DisposeReturnDto {
  @ApiProperty({ enum: OUTCOMES }) @IsIn(OUTCOMES) outcome: (typeof OUTCOMES)[number];
  @ApiProperty({ description: 'why (who decided is the caller)' }) @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
  @ApiPropertyOptional({ description: 'the vendor’s RMA number: required when sent to the vendor' })
  @ValidateIf((o: DisposeReturnDto) => o.outcome === 'sent-to-vendor')
  @IsString({ message: 'rmaNumber is required when the part is sent to the vendor' })
  @IsNotEmpty()
  @MaxLength(100)
  rmaNumber?: string;
}

export class ReturnQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STATES }) @IsOptional() @IsIn(STATES) state?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(({ value }) => value === true || value === 'true') @IsBoolean() overdue?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsUUID() requestId?: string;
}

export class ReturnView {
  @ApiProperty() id: string;
  @ApiProperty() requestId: string;
  @ApiPropertyOptional({ type: String, nullable: true }) caseId: string | null;
  @ApiProperty() region: string;
  @ApiProperty() depotId: string;
  @ApiProperty() partNumber: string;
  @ApiProperty() quantity: number;
  @ApiProperty({ description: 'a dead-on-arrival unit (else the replaced faulty part)' }) doa: boolean;
  @ApiProperty({ enum: STATES }) state: string;
  @ApiProperty() dueAt: Date;
  @ApiProperty() overdue: boolean;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) overdueAt: Date | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) receivedAt: Date | null;
  @ApiPropertyOptional({ type: String, nullable: true }) receivedBy: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) condition: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) decidedAt: Date | null;
  @ApiPropertyOptional({ type: String, nullable: true }) decidedBy: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) decisionReason: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) rmaNumber: string | null;
  @ApiProperty() createdAt: Date;
}

export const ReturnPage = PageOf(ReturnView);
