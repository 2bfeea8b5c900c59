import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@aftersales/platform';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { IsLocalDate } from '../registry/registry.dtos';

const ID_RE = /^[A-Za-z0-9_.:-]{1,64}$/;
const id = (field: string) => ({ message: `${field} must be 1-64 letters, digits or _.:-` });

export class CreateAgreementDto {
  @ApiProperty({ example: 'C-NB' }) @IsString() @Matches(ID_RE, id('customerId')) customerId: string;
  @ApiPropertyOptional({ description: 'the sales contract it follows (its repair terms and region apply)' })
  @IsOptional()
  @IsString()
  @Matches(ID_RE, id('contractId'))
  contractId?: string;
  @ApiProperty({ type: [String], description: 'the installed assets it covers (no other agreement may cover one of them on the same day)' })
  @IsArray()
  @ArrayMinSize(1, { message: 'assetIds must name at least one asset' })
  @ArrayMaxSize(1000)
  @Matches(ID_RE, { each: true, message: 'each of assetIds must be an asset id' })
  assetIds: string[];
  @ApiProperty({ enum: ['business-hours', '7x24'] }) @IsIn(['business-hours', '7x24']) coverage: 'business-hours' | '7x24';
  @ApiPropertyOptional({ description: 'the business calendar its clocks and reminders run on' })
  @IsOptional()
  @IsString()
  @Matches(ID_RE, id('calendarId'))
  calendarId?: string;
  @ApiPropertyOptional({ description: 'the SLA policy of its cases' })
  @IsOptional()
  @IsString()
  @Matches(ID_RE, id('policyId'))
  policyId?: string;
  @ApiProperty({ example: '48000.00', description: 'price for the whole term' })
  @IsString()
  @Matches(/^\d{1,12}(\.\d{1,2})?$/, { message: 'price must be an amount like 48000.00' })
  price: string;
  @ApiPropertyOptional({ default: 'CNY' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a 3-letter code' })
  currency?: string;
  @ApiProperty({ example: '2027-01-01' }) @IsLocalDate() startsOn: string;
  @ApiProperty({ example: '2027-12-31', description: 'after startsOn' }) @IsLocalDate() endsOn: string;
}

export class AgreementQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(ID_RE, id('customerId')) customerId?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ID_RE, id('assetId')) assetId?: string;
}

export class AgreementView {
  @ApiProperty() id: string;
  @ApiProperty() customerId: string;
  @ApiProperty() region: string;
  @ApiPropertyOptional({ type: String, nullable: true }) contractId: string | null;
  @ApiProperty({ enum: ['business-hours', '7x24'] }) coverage: string;
  @ApiPropertyOptional({ type: String, nullable: true }) calendarId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) policyId: string | null;
  @ApiProperty({ example: '48000.00' }) price: string;
  @ApiProperty() currency: string;
  @ApiProperty() startsOn: string;
  @ApiProperty() endsOn: string;
  @ApiProperty({ type: [String] }) assetIds: string[];
  @ApiProperty({ description: 'renewal reminders: days before the end, when due, when sent' })
  reminders: Array<{ daysBefore: number; dueAt: string; sentAt: string | null }>;
  @ApiProperty() createdBy: string;
  @ApiProperty() createdAt: string;
}

export class AgreementPage {
  @ApiProperty({ type: [AgreementView] }) items: AgreementView[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}
